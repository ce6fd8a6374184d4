from django.urls import path

from apps.contacts import duplicate_views, views

app_name = "contacts"

urlpatterns = [
    path("contacts/", views.contact_list, name="list"),
    path("pick/", views.pick, name="pick"),
    path("contacts/new/", views.contact_create, name="create"),
    path("contacts/duplicates/", duplicate_views.duplicate_list, name="duplicates"),
    path(
        "contacts/duplicates/<int:first>/<int:second>/",
        duplicate_views.duplicate_compare,
        name="duplicate_compare",
    ),
    path(
        "contacts/duplicates/<int:first>/<int:second>/not-same/",
        duplicate_views.duplicate_not_same,
        name="duplicate_not_same",
    ),
    path("contacts/<int:pk>/", views.contact_detail, name="detail"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="edit"),
    path("contacts/<int:pk>/archive/", views.contact_archive, name="archive"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="delete"),
    path("contacts/<int:pk>/merge/", views.contact_merge, name="merge"),
    path("contacts/<int:pk>/tags/", views.contact_tag_add, name="tags"),
    path("contacts/<int:pk>/past/", views.contact_past_add, name="past_add"),
    path(
        "contacts/<int:pk>/past/<int:past_pk>/remove/",
        views.contact_past_remove,
        name="past_remove",
    ),
    path(
        "contacts/<int:pk>/tags/<int:tag_pk>/remove/",
        views.contact_tag_remove,
        name="tag_remove",
    ),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
]
