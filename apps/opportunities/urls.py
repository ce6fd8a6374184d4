from django.urls import path

from apps.opportunities import views

urlpatterns = [
    path("opportunities/", views.board, name="opportunity_board"),
    path("opportunities/list/", views.opportunity_list, name="opportunity_list"),
    path("opportunities/new/", views.opportunity_new, name="opportunity_new"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/delete/", views.opportunity_delete, name="opportunity_delete"),
    path("opportunities/<int:pk>/move/", views.move, name="opportunity_move"),
    path("opportunities/<int:pk>/people/", views.person_add, name="opportunity_person_add"),
    path(
        "opportunities/<int:pk>/people/<int:person_pk>/remove/",
        views.person_remove,
        name="opportunity_person_remove",
    ),
]
