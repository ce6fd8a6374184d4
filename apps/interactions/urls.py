from django.urls import path

from apps.interactions import outreach_views, views

app_name = "interactions"

urlpatterns = [
    path("interactions/", views.interaction_list, name="list"),
    path("interactions/new/", views.interaction_new, name="new"),
    path("interactions/<int:pk>/edit/", views.interaction_edit, name="edit"),
    path("interactions/<int:pk>/delete/", views.interaction_delete, name="delete"),
    path("interactions/give-note/", views.give_note, name="give_note"),
    path(
        "interactions/contact-suggestions/",
        views.contact_suggestions,
        name="contact_suggestions",
    ),
    path(
        "interactions/contact/<int:pk>/timeline/",
        views.contact_timeline,
        name="contact_timeline",
    ),
    path("templates/", outreach_views.template_list, name="template_list"),
    path("templates/new/", outreach_views.template_edit, name="template_new"),
    path("templates/<int:pk>/edit/", outreach_views.template_edit, name="template_edit"),
    path("templates/<int:pk>/delete/", outreach_views.template_delete, name="template_delete"),
    path("templates/<int:pk>/use/", outreach_views.template_use, name="template_use"),
]
