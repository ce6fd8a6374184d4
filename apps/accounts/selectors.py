"""Reads about the account as a whole."""

from allauth.mfa.models import Authenticator
from django.apps import apps

from apps.core.models import OwnedModel


def owned_counts(*, user) -> list[tuple[str, int]]:
    """What deleting the account removes, one count per kind of record the user has. Models are
    found through the app registry, so the apps above this one need not be named here; one that
    is bookkeeping rather than the user's records sets `shown_in_account_counts = False`."""
    counts = []
    for model in apps.get_models():
        if issubclass(model, OwnedModel) and getattr(model, "shown_in_account_counts", True):
            count = model.objects.filter(owner=user).count()
            if count:
                name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
                counts.append((str(name), count))
    return counts


def two_factor_on(*, user) -> bool:
    """Whether logging in asks for an authenticator app's code (recovery codes alone do not)."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
