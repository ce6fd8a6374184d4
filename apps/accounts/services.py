from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
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
    return Session.objects.filter(session_key__in=mine).delete()[0]
