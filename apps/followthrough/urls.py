from django.urls import path

from apps.followthrough import views

app_name = "followthrough"

urlpatterns = [
    path(
        "next-steps/organization/<int:pk>/hold/",
        views.suggestion_hold,
        name="suggestion_hold",
    ),
]
