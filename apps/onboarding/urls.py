from django.urls import path

from apps.onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("sample-data/", views.load_sample, name="load_sample"),
    path("sample-data/remove/", views.remove_sample, name="remove_sample"),
]
