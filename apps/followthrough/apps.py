from django.apps import AppConfig


class FollowthroughConfig(AppConfig):
    """Pages that close the loop and need relationship strength: paths to a referral and the
    next steps on Today."""

    name = "apps.followthrough"
    label = "followthrough"
