from django.apps import AppConfig


class InteractionsConfig(AppConfig):
    name = "apps.interactions"
    label = "interactions"

    def ready(self):
        # Django's place to subscribe to signals: models are loaded only once ready() runs.
        from apps.interactions import receivers  # noqa: F401
