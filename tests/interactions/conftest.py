import datetime as dt

import pytest
from django.utils import timezone

from apps.interactions.models import Interaction
from tests import factories


@pytest.fixture
def contact(user):
    return factories.ContactFactory(owner=user, full_name="Alice Martin")


@pytest.fixture
def bulk_interactions():
    """Create `count` interactions with `contacts` quickly (bulk inserts, not one per row)."""

    def make(*, owner, contacts, count, minutes=15, **fields):
        start = timezone.now() - dt.timedelta(days=count + 1)
        rows = Interaction.objects.bulk_create(
            Interaction(
                owner=owner,
                summary=f"Chat {n}",
                minutes=minutes,
                occurred_at=start + dt.timedelta(days=n),
                **fields,
            )
            for n in range(count)
        )
        through = Interaction.contacts.through
        through.objects.bulk_create(
            through(interaction_id=row.pk, contact_id=c.pk) for row in rows for c in contacts
        )
        return rows

    return make
