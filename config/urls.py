from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, re_path

from apps.accounts.views import SignupView
from apps.api.v1 import api
from apps.api.views import unknown_endpoint

# Staff sign in through allauth's login page, so its rate limits protect the admin too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("apps.core.urls")),
    path("", include("apps.reminders.urls")),
    path("", include("apps.accounts.urls")),
    path("", include("apps.contacts.urls")),
    path("", include("apps.interactions.urls")),
    path("", include("apps.opportunities.urls")),
    path("", include("apps.insights.urls")),
    path("", include("apps.portability.urls")),
    path("", include("apps.onboarding.urls")),
    path("", include("apps.followthrough.urls")),
    path("", include("apps.api.urls")),
    path("", include("apps.capture.urls")),
    path("", include("apps.webhooks.urls")),
    path("api/v1/", api.urls),
    # After the API's own routes: any other address under it answers as the API does.
    re_path(r"^api/v1/", unknown_endpoint, name="api_unknown"),
    # Before allauth's own: sign-up never tells whether an address already has an account.
    path("accounts/signup/", SignupView.as_view(), name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
