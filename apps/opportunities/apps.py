from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "apps.opportunities"
    label = "opportunities"

    def ready(self):
        # Django's place to subscribe to signals: models are loaded only once ready() runs.
        from apps.opportunities import (  # noqa: F401
            pickers,  # the opportunity picker kinds, for the contacts picker's search view
            receivers,
        )
