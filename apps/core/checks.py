"""System checks for settings that are unsafe in production."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def secret_key_is_not_a_known_default(app_configs=None, **kwargs):
    # The settings already refuse these outside DEBUG; this also catches a deploy check run with
    # DEBUG on, or a key set by hand to one that ships in this repository.
    if settings.SECRET_KEY in settings.KNOWN_DEFAULT_SECRET_KEYS:
        return [
            checks.Error(
                "SECRET_KEY is a default published with Followthrough: anyone can sign links.",
                hint="Set SECRET_KEY to a long random string in the environment.",
                id="followthrough.E001",
            )
        ]
    return []
