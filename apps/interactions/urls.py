from django.urls import path

from apps.interactions import views

urlpatterns = [
    path("interactions/", views.interaction_list, name="interaction_list"),
    path("interactions/new/", views.interaction_new, name="interaction_new"),
    path("interactions/<int:pk>/edit/", views.interaction_edit, name="interaction_edit"),
    path("interactions/<int:pk>/delete/", views.interaction_delete, name="interaction_delete"),
    path(
        "interactions/contact-suggestions/",
        views.contact_suggestions,
        name="interaction_contact_suggestions",
    ),
    path(
        "interactions/contact/<int:pk>/timeline/",
        views.contact_timeline,
        name="interaction_contact_timeline",
    ),
]
