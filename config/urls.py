from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("apps.core.urls")),
    path("", include("apps.reminders.urls")),
    path("", include("apps.accounts.urls")),
    path("", include("apps.contacts.urls")),
    path("", include("apps.interactions.urls")),
    path("", include("apps.opportunities.urls")),
    path("", include("apps.insights.urls")),
    path("", include("apps.portability.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
