from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "apps.webhooks"
    label = "webhooks"

    def ready(self):
        # Django's place to subscribe to signals: models are loaded only once ready() runs.
        from apps.webhooks import receivers  # noqa: F401
