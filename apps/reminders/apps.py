from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "apps.reminders"
    label = "reminders"

    def ready(self):
        # Django's place to subscribe to signals: models are loaded only once ready() runs.
        from apps.reminders import receivers  # noqa: F401
