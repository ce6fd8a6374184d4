"""Sample data: a realistic search through the real services, removed exactly by one click."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from apps.contacts.models import Contact, Organization, PastEmployment, Tag
from apps.followthrough.paths import paths_for
from apps.insights.reports.targets import weekly_targets
from apps.interactions.models import Interaction
from apps.onboarding import sample, services
from apps.onboarding.models import SampleRecord
from apps.opportunities.models import Opportunity, OpportunityContact, StageChange
from apps.reminders import selectors as reminder_selectors
from apps.reminders.models import FollowUp
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(user):
    services.load_sample_data(owner=user)
    return user


def test_the_sample_is_a_whole_job_search(loaded):
    user = loaded
    people = Contact.objects.owned_by(user)
    assert people.count() == 10
    assert len(set(people.values_list("channel", flat=True))) >= 5
    # An introduction chain: Priya introduced Marcus, who introduced Elena.
    elena = people.get(full_name="Elena Petrova")
    assert elena.introduced_by.full_name == "Marcus Chen"
    assert elena.introduced_by.introduced_by.full_name == "Priya Raman"
    talks = Interaction.objects.owned_by(user)
    assert talks.filter(minutes__gt=0).count() == talks.count() >= 12
    assert talks.exclude(gave="").exists() and talks.exclude(asked="").exists()
    assert talks.filter(asked_referral=True).exists()
    stages = set(Opportunity.objects.owned_by(user).values_list("stage", flat=True))
    assert {"identified", "networking", "applied", "interviewing", "offer", "rejected"} <= stages
    offer = Opportunity.objects.owned_by(user).get(stage="offer")
    assert OpportunityContact.objects.filter(opportunity=offer, role="referrer").exists()
    assert StageChange.objects.filter(opportunity=offer, to_stage="referred").exists()
    today = reminder_selectors.today_sections(user)
    assert today.overdue and today.due_today and today.upcoming


def test_next_steps_thank_each_person_once_and_past_steps_were_done_in_the_past(loaded):
    user = loaded
    steps = FollowUp.objects.owned_by(user).filter(kind__in=["thank_you", "close_loop"])
    open_steps = sorted((step.contact.full_name, step.kind) for step in steps.filter(status="open"))
    # Priya was thanked for introducing Marcus weeks ago, once: on the contact (her thank-you
    # on the opportunity Marcus referred for would repeat it); what is left is one step per
    # person and reason.
    assert open_steps == [
        ("Marcus Chen", "close_loop"),
        ("Marcus Chen", "thank_you"),
        ("Priya Raman", "close_loop"),
    ]
    start_of_today = timezone.localtime(timezone.now(), user.zone).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    done = FollowUp.objects.owned_by(user).filter(status="done")
    assert done.count() == 4
    assert not done.filter(completed_at__gte=start_of_today).exists()  # nothing "done today"


def test_it_goes_into_an_empty_account_only_and_once(user):
    factories.ContactFactory(owner=user)
    with pytest.raises(services.SampleDataError):
        services.load_sample_data(owner=user)
    assert not SampleRecord.objects.exists()


def test_removing_it_takes_exactly_the_sample_and_keeps_what_the_user_added(loaded, other_user):
    user = loaded
    services.load_sample_data(owner=other_user)
    before_other = Contact.objects.owned_by(other_user).count()
    # The user's own records, some pointing at sample rows.
    mine = factories.ContactFactory(owner=user, full_name="My Own Contact")
    priya = Contact.objects.owned_by(user).get(full_name="Priya Raman")
    northwind = Organization.objects.owned_by(user).get(name="Northwind Analytics")
    colleague = factories.ContactFactory(owner=user, organization=northwind)
    mine.tags.add(Tag.objects.owned_by(user).get(name="mentor"))
    my_talk = factories.InteractionFactory(owner=user, contacts=[mine, priya])
    my_follow_up = factories.FollowUpFactory(owner=user, contact=mine)

    removal = services.remove_sample_data(owner=user)

    assert removal.kept == ["Priya Raman"]  # my conversation is with her
    assert set(Contact.objects.owned_by(user).values_list("pk", flat=True)) == {
        mine.pk,
        colleague.pk,
        priya.pk,
    }
    assert Interaction.objects.owned_by(user).get() == my_talk
    assert FollowUp.objects.owned_by(user).get() == my_follow_up
    assert not Opportunity.objects.owned_by(user).exists()
    names = set(Organization.objects.owned_by(user).values_list("name", flat=True))
    sample_names = {name for name, _ in sample.ORGANIZATIONS}
    assert names & sample_names == {"Northwind Analytics"}  # my colleague works there
    # Tags stay where a kept contact wears them: mine ("mentor") and Priya ("PyData", "mentor").
    assert set(Tag.objects.owned_by(user).values_list("name", flat=True)) == {"mentor", "PyData"}
    assert not SampleRecord.objects.owned_by(user).exists()
    # Another account's sample is untouched.
    assert Contact.objects.owned_by(other_user).count() == before_other


def test_the_buttons_load_and_remove_with_csrf(user, client_for, csrf):
    client = client_for(user)
    assert "Try it with sample data" in client.get("/").content.decode()
    assert Client().post("/sample-data/").status_code == 302  # anonymous: to login
    assert client.post("/sample-data/").status_code == 403  # no CSRF token
    token = csrf(client, "/")
    response = client.post("/sample-data/", {"csrfmiddlewaretoken": token}, follow=True)
    html = response.content.decode()
    assert "Sample data added" in html and "You are looking at sample data." in html
    assert "Try it with sample data" not in html
    assert "Remove sample data" in client.get("/settings/").content.decode()
    response = client.post("/sample-data/remove/", {"csrfmiddlewaretoken": token}, follow=True)
    assert "Sample data removed" in response.content.decode()
    assert not Contact.objects.owned_by(user).exists()
    assert "Remove sample data" not in client.get("/settings/").content.decode()


def test_sample_people_were_met_on_their_sample_days_not_today(loaded):
    # Each contact is added on the day the sample says they were met (at 09:00 local, never in
    # the future), so loading the sample does not fill "people met this week" with ten names.
    user = loaded
    today = timezone.now().astimezone(user.zone).date()
    for _, name, *_rest in sample.CONTACTS:
        met = _rest[5]
        added = Contact.objects.owned_by(user).get(full_name=name).created_at
        assert added.astimezone(user.zone).date() == today + dt.timedelta(days=met), name
    met_this_week = next(t for t in weekly_targets(user) if t.label.startswith("People met"))
    long_ago = [row for row in sample.CONTACTS if row[7] < -7]
    assert long_ago and met_this_week.done <= len(sample.CONTACTS) - len(long_ago)


def test_the_sample_has_employment_history_that_opens_ways_in(loaded):
    user = loaded
    lumen = Organization.objects.owned_by(user).get(name="Lumen Health")
    fernwood = Organization.objects.owned_by(user).get(name="Fernwood Energy")
    found = paths_for(owner=user, organizations=[lumen, fernwood])
    reasons = {i.contact.full_name: i.reason for i in found[lumen.pk].introducers}
    assert reasons["Tom Becker"] == "worked there until 2023"
    reasons = {i.contact.full_name: i.reason for i in found[fernwood.pk].introducers}
    assert reasons["Aisha Khan"] == "both at Kestrel Bank with Hannah Weiss"


def test_removing_the_sample_keeps_a_sample_organization_in_the_users_own_history(loaded):
    user = loaded
    mine = factories.ContactFactory(owner=user, full_name="My Own Contact", organization=None)
    orbit = Organization.objects.owned_by(user).get(name="Orbit Logistics")
    own = PastEmployment.objects.create(owner=user, contact=mine, organization=orbit, until=2020)
    services.remove_sample_data(owner=user)
    assert list(PastEmployment.objects.owned_by(user)) == [own]
    assert set(Organization.objects.owned_by(user).values_list("name", flat=True)) == {
        "Orbit Logistics"
    }
