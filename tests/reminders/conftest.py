import datetime as dt
import zoneinfo

import pytest
from django.core import mail

from apps.core.localtime import local_to_utc
from tests import factories


def at(zone: str, *args) -> dt.datetime:
    """An aware UTC instant from a local wall time in `zone`."""
    return local_to_utc(dt.date(*args[:3]), dt.time(*args[3:]), zoneinfo.ZoneInfo(zone))


@pytest.fixture
def make_follow_up():
    def make(owner, **kwargs):
        return factories.FollowUpFactory(owner=owner, **kwargs)

    return make


@pytest.fixture
def outbox():
    mail.outbox.clear()
    return mail.outbox
