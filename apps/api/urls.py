from django.urls import path

from apps.api import views

app_name = "api"

urlpatterns = [
    path("settings/tokens/", views.tokens, name="tokens"),
    path("settings/tokens/<int:pk>/revoke/", views.revoke, name="revoke"),
]
