"""Weekly targets count what the user did this week: imported rows are never people met."""

import datetime as dt

import pytest
import time_machine

from apps.contacts.models import AddedVia, Contact
from apps.insights.reports.targets import weekly_targets
from tests import factories
from tests.insights.conftest import NOW, local
from tests.portability.conftest import import_file

pytestmark = pytest.mark.django_db


def _progress(user):
    with time_machine.travel(NOW, tick=False):
        return {t.label: (t.done, t.target) for t in weekly_targets(user)}


def test_imported_contacts_never_move_people_met_this_week(ny_user):
    before = _progress(ny_user)["People met"]
    with time_machine.travel(NOW, tick=False):
        job = import_file(ny_user, "linkedin_current.csv")
    imported = Contact.objects.filter(owner=ny_user)
    assert imported.count() >= 1 and job.created_count == imported.count()
    assert set(imported.values_list("added_via", flat=True)) == {AddedVia.IMPORT}
    assert _progress(ny_user)["People met"] == before
    # A first conversation this week with an imported connection is meeting them.
    connection = imported.first()
    factories.InteractionFactory(
        owner=ny_user, contacts=[connection], occurred_at=local(2025, 3, 18, 12), kind="call"
    )
    assert _progress(ny_user)["People met"][0] == before[0] + 1


def test_people_met_counts_first_conversations_and_contacts_added_by_hand(ny_user):
    with time_machine.travel(NOW - dt.timedelta(days=30), tick=False):
        old_friend = factories.ContactFactory(owner=ny_user)  # added by hand a month ago
        old_import = factories.ContactFactory(owner=ny_user, added_via=AddedVia.IMPORT)
    with time_machine.travel(NOW, tick=False):
        factories.ContactFactory(owner=ny_user)  # added by hand today: met
    this_week = local(2025, 3, 17, 9)  # Monday 09:00 local
    for person in (old_friend, old_import):
        factories.InteractionFactory(owner=ny_user, contacts=[person], occurred_at=this_week)
    # A like is not a conversation: it does not make someone met.
    liked = factories.ContactFactory(owner=ny_user, added_via=AddedVia.IMPORT)
    factories.InteractionFactory(
        owner=ny_user, contacts=[liked], occurred_at=this_week, kind="like"
    )
    # Met a month ago (added by hand) and the import first spoken to this week.
    assert _progress(ny_user)["People met"] == (2, 2)


def test_referral_asks_and_things_given_are_per_local_week(ny_user):
    person = factories.ContactFactory(owner=ny_user)
    # Sunday 16 March 23:30 local is Monday 03:30 UTC: still last week for this user.
    factories.InteractionFactory(
        owner=ny_user,
        contacts=[person],
        occurred_at=local(2025, 3, 16, 23, 30),
        asked_referral=True,
        gave="a job post",
    )
    factories.InteractionFactory(
        owner=ny_user, contacts=[person], occurred_at=local(2025, 3, 17, 0), asked_referral=True
    )
    factories.InteractionFactory(
        owner=ny_user, contacts=[person], occurred_at=local(2025, 3, 19, 8), gave="an intro"
    )
    factories.InteractionFactory(
        owner=ny_user, contacts=[person], occurred_at=local(2025, 3, 19, 9), gave="advice"
    )
    progress = _progress(ny_user)
    assert progress["Referral asks"] == (1, 2)
    assert progress["Things given"] == (2, 1)


def test_weekly_targets_link_to_the_rows_they_count(ny_user, client_for):
    with time_machine.travel(NOW, tick=False):
        person = factories.ContactFactory(owner=ny_user)
    factories.InteractionFactory(
        owner=ny_user, contacts=[person], occurred_at=local(2025, 3, 19, 8), gave="an intro"
    )
    with time_machine.travel(NOW, tick=False):
        targets = {t.label: t for t in weekly_targets(ny_user)}
        assert targets["People met"].done == targets["Things given"].done == 1
        client = client_for(ny_user)
        for label in ("People met", "Things given", "Referral asks", "Conversations"):
            html = client.get(targets[label].href).content.decode()
            rows = html.count("data-contact=") + html.count("data-interaction=")
            assert rows == targets[label].done, label
