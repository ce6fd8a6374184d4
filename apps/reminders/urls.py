from django.urls import path

from apps.reminders import views

urlpatterns = [
    path("", views.today, name="today"),
]
