from django.urls import path

from apps.opportunities import views

app_name = "opportunities"

urlpatterns = [
    path("opportunities/", views.board, name="board"),
    path("opportunities/list/", views.opportunity_list, name="list"),
    path("opportunities/new/", views.opportunity_new, name="new"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="detail"),
    path("opportunities/<int:pk>/edit/", views.opportunity_edit, name="edit"),
    path("opportunities/<int:pk>/delete/", views.opportunity_delete, name="delete"),
    path("opportunities/<int:pk>/move/", views.move, name="move"),
    path("opportunities/<int:pk>/people/", views.person_add, name="person_add"),
    path(
        "opportunities/<int:pk>/people/<int:person_pk>/remove/",
        views.person_remove,
        name="person_remove",
    ),
    path("opportunities/<int:pk>/interviews/", views.interview_add, name="interview_add"),
    path(
        "opportunities/<int:pk>/interviews/<int:interview_pk>/",
        views.interview_edit,
        name="interview_edit",
    ),
    path(
        "opportunities/<int:pk>/interviews/<int:interview_pk>/delete/",
        views.interview_delete,
        name="interview_delete",
    ),
]
