from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import transaction

from apps.accounts.models import User, new_calendar_token
from apps.accounts.signals import zone_changed
from apps.core.localtime import zone_named


@transaction.atomic
def update_settings(*, user: User, form) -> User:
    old_zone = form.initial.get("timezone")
    form.save()
    if "timezone" in form.changed_data and old_zone:
        zone_changed.send(sender=User, user=user, old_zone=zone_named(old_zone), new_zone=user.zone)
    return user


@transaction.atomic
def change_timezone(*, user: User, name: str) -> User:
    """Set the zone alone (the one-click offer on Today); open follow-ups keep their wall time
    through the same signal the settings form sends."""
    old_zone = user.timezone
    if name != old_zone:
        user.timezone = name
        user.save(update_fields=["timezone"])
        zone_changed.send(sender=User, user=user, old_zone=zone_named(old_zone), new_zone=user.zone)
    return user


def regenerate_calendar_token(*, user: User) -> str:
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Every owned row goes with the user: each owned model's `owner` cascades. Sessions hold the
    user's id only inside their encoded data, so they are found and deleted one by one."""
    delete_sessions(user=user)
    user.delete()


def delete_sessions(*, user: User) -> int:
    """Delete every stored session signed in as `user` (other devices included)."""
    mine = []
    for session in Session.objects.iterator(chunk_size=1000):
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            mine.append(session.session_key)
    deleted = Session.objects.filter(session_key__in=mine).delete()[0]
    # A cached session store (cached_db) reads the cache first: without this, a deleted session
    # would still sign its browser in. Again after commit, in case a request read the rows
    # (still there until then) back into the cache meanwhile.
    prefix = getattr(import_module(settings.SESSION_ENGINE).SessionStore, "cache_key_prefix", "")
    if prefix and mine:
        keys = [prefix + key for key in mine]
        cache = caches[settings.SESSION_CACHE_ALIAS]
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))
    return deleted
