from django.urls import path

from apps.reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.today, name="today"),
    path("followups/", views.followup_list, name="followup_list"),
    path("followups/new/", views.followup_create, name="followup_create"),
    path("followups/backlog/", views.followup_backlog, name="followup_backlog"),
    path(
        "followups/backlog/<int:pk>/undo/",
        views.followup_backlog_undo,
        name="followup_backlog_undo",
    ),
    path("followups/<int:pk>/", views.followup_edit, name="followup_edit"),
    path("followups/<int:pk>/done/", views.followup_done, name="followup_done"),
    path("followups/<int:pk>/snooze/", views.followup_snooze, name="followup_snooze"),
    path("followups/<int:pk>/cancel/", views.followup_cancel, name="followup_cancel"),
    path("followups/<int:pk>/reopen/", views.followup_reopen, name="followup_reopen"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/retry/", views.outbox_retry, name="outbox_retry"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("r/<str:token>/", views.reminder_action, name="action"),
    path("unsubscribe/<str:token>/", views.reminder_unsubscribe, name="unsubscribe"),
]
