from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"

    def ready(self):
        from django.db.models.signals import post_migrate

        from apps.core import checks  # noqa: F401 - registers the system checks
        from apps.core.planner import refresh_after_migrate

        # post_migrate is sent for every app once the whole run is applied; core's is enough.
        post_migrate.connect(refresh_after_migrate, sender=self)
