from django.urls import path

from apps.core import views

app_name = "core"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("manifest.webmanifest", views.web_manifest, name="manifest"),
    path("dev/mail/", views.dev_mail, name="dev_mail"),
]
