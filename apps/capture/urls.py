from django.urls import path

from apps.capture import views

app_name = "capture"

urlpatterns = [
    path("capture/", views.start, name="start"),
    path("capture/contact/", views.save_contact, name="save_contact"),
    path("capture/opportunity/", views.save_opportunity, name="save_opportunity"),
]
