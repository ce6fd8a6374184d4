"""Next steps on Today: thank-yous and loops owed, and one suggested ask per target company
with a path but no open ask; each one click to act, snooze or dismiss."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.contacts.models import Contact
from apps.followthrough.next_steps import suggested_asks
from apps.interactions import services as interactions
from apps.opportunities import services as opportunities
from apps.reminders.models import FollowUpKind, NextStepDismissal
from apps.reminders.selectors import digest_followups, today_sections
from tests import factories
from tests.conftest import csrf_token

pytestmark = pytest.mark.django_db
# Today's own queries plus the suggestions': targets, templates, and the paths' six (employment
# history included).
TODAY_QUERIES = 17


@pytest.fixture
def acme(user):
    return factories.OrganizationFactory(owner=user, name="Acme", is_target=True)


def _section(html, heading):
    return html.split(f'id="h-{heading}"')[1].split("</section>")[0]


def test_thank_yous_and_loops_owed_are_next_steps_and_in_the_digest(auth_client, user):
    opportunity = factories.OpportunityFactory(owner=user, role_title="SRE")
    ann = factories.ContactFactory(owner=user, full_name="Ann")
    opportunities.add_person(owner=user, opportunity=opportunity, contact=ann, role="referrer")
    opportunities.move_to_stage(owner=user, opportunity=opportunity, stage="interviewing")
    steps = _section(auth_client.get("/").content.decode(), "next-steps")
    assert "Thank them for the referral (SRE)" in steps
    assert "Tell them how it went: you got an interview (SRE)" in steps
    sections = today_sections(user)
    assert {f.kind for f in sections.owed} == {FollowUpKind.THANK_YOU, FollowUpKind.CLOSE_LOOP}
    assert sections.due_today == []  # not listed twice
    assert len(digest_followups(user).due_today) == 2


def test_a_target_with_a_path_and_no_ask_gets_one_suggested_ask(auth_client, user, acme):
    interactions.seed_starter_templates(owner=user)
    ann = factories.ContactFactory(owner=user, full_name="Ann", organization=acme)
    [suggestion] = suggested_asks(owner=user)
    assert suggestion.contact == ann and suggestion.template.name == "Referral ask"
    steps = _section(auth_client.get("/").content.decode(), "next-steps")
    assert f"/templates/{suggestion.template.pk}/use/?contact={ann.pk}" in steps


def test_no_suggestion_once_asked_or_without_a_path(user, acme):
    factories.OrganizationFactory(owner=user, name="Nobody there", is_target=True)
    ann = factories.ContactFactory(owner=user, organization=acme)
    factories.InteractionFactory(owner=user, contacts=[ann], asked_referral=True)
    assert suggested_asks(owner=user) == []


def test_someone_there_comes_before_an_introducer(user, acme):
    interactions.seed_starter_templates(owner=user)
    bob = factories.ContactFactory(owner=user, full_name="Bob", organization=None)
    Contact.objects.create(owner=user, full_name="Ann", organization=acme, introduced_by=bob)
    [suggestion] = suggested_asks(owner=user)
    assert suggestion.contact.full_name == "Ann"


def test_with_nobody_there_an_introducer_is_asked_for_an_introduction(user, acme):
    interactions.seed_starter_templates(owner=user)
    rita = factories.ContactFactory(owner=user, full_name="Rita")
    opportunity = factories.OpportunityFactory(owner=user, organization=acme)
    factories.OpportunityContactFactory(opportunity=opportunity, contact=rita, role="recruiter")
    [suggestion] = suggested_asks(owner=user)
    assert suggestion.contact == rita
    assert suggestion.template.name == "Introduction request"


def test_snooze_and_dismiss_hide_the_suggestion(client_for, user, acme):
    factories.ContactFactory(owner=user, organization=acme)
    client = client_for(user)
    token = csrf_token(client, "/")
    url = f"/next-steps/organization/{acme.pk}/hold/"
    assert client.post(url, {"csrfmiddlewaretoken": token, "days": "7"}).status_code == 302
    assert suggested_asks(owner=user) == []
    later = timezone.now() + dt.timedelta(days=8)
    assert [s.organization for s in suggested_asks(owner=user, now=later)] == [acme]
    client.post(url, {"csrfmiddlewaretoken": token, "days": ""})
    assert NextStepDismissal.objects.get().until is None
    assert suggested_asks(owner=user, now=later) == []


def test_holding_needs_csrf_and_the_owners_company(client_for, user, other_user):
    theirs = factories.OrganizationFactory(owner=other_user, is_target=True)
    client = client_for(user)
    url = f"/next-steps/organization/{theirs.pk}/hold/"
    assert client.post(url, {}).status_code == 403
    token = csrf_token(client, "/")
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 404
    assert not NextStepDismissal.objects.exists()


@pytest.mark.parametrize("size", [5, 500])
def test_today_with_next_steps_runs_a_fixed_number_of_queries(client_for, user, size):
    interactions.seed_starter_templates(owner=user)
    orgs = [
        factories.OrganizationFactory(owner=user, name=f"Target {i}", is_target=True)
        for i in range(4)
    ]
    hub = Contact.objects.create(owner=user, full_name="Hub")
    Contact.objects.bulk_create(
        Contact(owner=user, full_name=f"P{i}", organization=orgs[i % 4], introduced_by=hub)
        for i in range(size)
    )
    client = client_for(user)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/").content.decode()
    assert body.count("suggested-ask") >= 3
    assert len(queries) == TODAY_QUERIES


def test_an_owed_thank_you_is_dismissed_in_one_click(client_for, user):
    opportunity = factories.OpportunityFactory(owner=user)
    ann = factories.ContactFactory(owner=user, full_name="Ann")
    opportunities.add_person(owner=user, opportunity=opportunity, contact=ann, role="referrer")
    client = client_for(user)
    page = client.get("/").content.decode()
    assert "Dismiss: Thank Ann" in page
    thanks = today_sections(user).owed[0]
    token = csrf_token(client, "/")
    client.post(f"/followups/{thanks.pk}/cancel/", {"csrfmiddlewaretoken": token, "next": "/"})
    assert today_sections(user).owed == []
