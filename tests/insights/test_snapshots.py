"""A finished Insights report is served again while nothing it reads has changed, and computed
afresh after any write to those rows, whichever path made it (PostgreSQL)."""

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.db.models import F
from django.utils import timezone

from apps.accounts.models import User
from apps.contacts.models import Contact, Organization, PastEmployment
from apps.insights import views
from apps.interactions.models import Interaction
from apps.opportunities.models import OpportunityContact, PersonRole, Stage, StageChange
from apps.reminders.models import FollowUp
from tests import factories
from tests.insights.generate import populate

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# Session, user, the report's transaction (BEGIN, SET LOCAL jit, the fingerprint, COMMIT) and
# the navigation badge: none of the report's own queries.
SNAPSHOT_QUERIES = 7


@pytest.fixture(autouse=True)
def _snapshots_on(settings):
    settings.INSIGHTS_SNAPSHOT_SECONDS = 300


@pytest.fixture
def computed():
    """How many times the report was computed (not served from its snapshot)."""
    with mock.patch.object(views, "_report", wraps=views._report) as spy:
        yield spy


@pytest.fixture
def account():
    user = factories.UserFactory(timezone="Europe/Berlin")
    populate(user, contacts=30, interactions=120, opportunities=8, seed=3)
    return user


def _report_part(response) -> str:
    html = response.content.decode()
    return html[html.index('<div id="report"') : html.index("</main>")]


def test_an_unchanged_account_is_served_from_its_snapshot(
    account, client_for, computed, django_assert_num_queries
):
    client = client_for(account)
    first = client.get("/insights/?range=all")
    with django_assert_num_queries(SNAPSHOT_QUERIES):
        second = client.get("/insights/?range=all")
    assert first.status_code == second.status_code == 200
    assert computed.call_count == 1
    assert _report_part(second) == _report_part(first)
    # Another range and another view are reports of their own.
    client.get("/insights/?range=90d")
    client.get("/insights/?range=all&view=first")
    assert computed.call_count == 3
    # htmx asks for the report alone: the same snapshot.
    partial = client.get("/insights/?range=all", headers={"HX-Request": "true"})
    assert computed.call_count == 3
    assert partial.content.decode().strip().startswith('<div id="report"')


def _log_a_conversation(user):
    contact = Contact.objects.filter(owner=user).first()
    factories.InteractionFactory(owner=user, contacts=[contact], minutes=45)


def _bulk_minutes(user):
    Interaction.objects.filter(owner=user).update(minutes=F("minutes") + 1)


def _warm_up_contacts(user):
    Contact.objects.filter(owner=user).update(warmth="warm")


def _delete_a_contact(user):
    Contact.objects.filter(owner=user).first().delete()


def _flag_targets(user):
    Organization.objects.filter(owner=user).update(is_target=True)


def _past_employment(user):
    contact = Contact.objects.filter(owner=user).first()
    organization = Organization.objects.filter(owner=user).last()
    PastEmployment.objects.create(owner=user, contact=contact, organization=organization)


def _add_a_referrer(user):
    person = OpportunityContact.objects.filter(owner=user).first()
    OpportunityContact.objects.filter(pk=person.pk).update(role=PersonRole.REFERRER)


def _move_a_stage(user):
    change = StageChange.objects.filter(owner=user).first()
    StageChange.objects.filter(pk=change.pk).update(to_stage=Stage.OFFER)


def _reschedule_follow_ups(user):
    FollowUp.objects.filter(owner=user).update(due_at=timezone.now() + dt.timedelta(days=3))


def _change_targets(user):
    User.objects.filter(pk=user.pk).update(target_conversations_per_week=9)


WRITES = [
    _log_a_conversation,
    _bulk_minutes,
    _warm_up_contacts,
    _delete_a_contact,
    _flag_targets,
    _past_employment,
    _add_a_referrer,
    _move_a_stage,
    _reschedule_follow_ups,
    _change_targets,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__.strip("_"))
def test_any_write_to_what_the_report_reads_computes_it_afresh(
    account, client_for, computed, write
):
    client = client_for(account)
    client.get("/insights/?range=all")
    write(account)
    client.get("/insights/?range=all")
    assert computed.call_count == 2


def test_the_fresh_report_shows_the_write(account, client_for):
    client = client_for(account)
    before = client.get("/insights/?range=all").context["report"]
    _bulk_minutes(account)
    after = client.get("/insights/?range=all").context["report"]
    assert before != after


def test_another_users_writes_keep_the_snapshot(account, client_for, computed):
    other = factories.UserFactory()
    populate(other, contacts=30, interactions=120, opportunities=8, seed=4)
    client = client_for(account)
    client.get("/insights/?range=all")
    for write in WRITES:
        write(other)
    client.get("/insights/?range=all")
    assert computed.call_count == 1


def _as_of(response) -> str:
    html = response.content.decode()
    return html.split('data-testid="computed-at">')[1].split("</span>")[0]


def test_a_snapshot_lasts_its_configured_time_and_says_when_it_was_computed(
    account, client_for, computed, settings
):
    client = client_for(account)
    started = timezone.now()

    def local(moment):
        return timezone.localtime(moment, account.zone).strftime("%H:%M")

    with time_machine.travel(started, tick=False) as traveller:
        first = client.get("/insights/?range=all")
        traveller.shift(settings.INSIGHTS_SNAPSHOT_SECONDS - 5)
        kept = client.get("/insights/?range=all")
        assert computed.call_count == 1
        traveller.shift(10)
        fresh = client.get("/insights/?range=all")
        assert computed.call_count == 2
    assert _as_of(first) == _as_of(kept) == f"· figures as of {local(started)}"
    later = started + dt.timedelta(seconds=settings.INSIGHTS_SNAPSHOT_SECONDS + 5)
    assert _as_of(fresh) == f"· figures as of {local(later)}"


def test_a_bad_range_is_never_kept(account, client_for, computed):
    client = client_for(account)
    for _ in range(2):
        response = client.get("/insights/?range=custom&from=2026-05-01&to=2026-01-01")
        assert response.status_code == 400
        assert "Showing the default range instead" in response.content.decode()
    assert computed.call_count == 2


def test_a_failing_cache_costs_speed_not_the_page(account, client_for, computed):
    client = client_for(account)
    with mock.patch("apps.insights.snapshots.cache.get", side_effect=ConnectionError("down")):
        first = client.get("/insights/?range=all")
        second = client.get("/insights/?range=all")
    assert first.status_code == second.status_code == 200
    assert computed.call_count == 2
