from django.urls import path

from apps.capture import invite_views, views

app_name = "capture"

urlpatterns = [
    path("capture/", views.start, name="start"),
    path("capture/contact/", views.save_contact, name="save_contact"),
    path("capture/opportunity/", views.save_opportunity, name="save_opportunity"),
    path("capture/invite/", invite_views.invite_start, name="invite"),
    path("capture/invite/save/", invite_views.invite_save, name="invite_save"),
]
