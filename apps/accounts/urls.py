from django.urls import path

from apps.accounts import views

app_name = "accounts"

urlpatterns = [
    path("settings/", views.settings_page, name="settings"),
    path("settings/timezone/", views.set_timezone, name="set_timezone"),
    path("settings/calendar/regenerate/", views.regenerate_calendar, name="regenerate_calendar"),
    path("account/delete/", views.delete_page, name="delete"),
]
