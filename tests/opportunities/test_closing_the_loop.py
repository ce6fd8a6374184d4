"""Closing the loop: thank-yous for referrers and introducers, "tell them how it went" after a
stage move, interview rounds with a thank-you the next morning, and all of it in the same
reminder outbox and calendar feed."""

import datetime as dt

import pytest
import time_machine
from icalendar import Calendar

from apps.contacts import services as contacts
from apps.opportunities import services
from apps.opportunities.models import InterviewRound, PersonRole, Stage
from apps.reminders import services as reminders
from apps.reminders.models import Delivery, FollowUp, FollowUpKind, FollowUpStatus
from tests import factories
from tests.conftest import csrf_token
from tests.reminders.conftest import at

pytestmark = pytest.mark.django_db


def _opportunity(user, **kwargs):
    return factories.OpportunityFactory(owner=user, role_title="Platform engineer", **kwargs)


def _open(kind, **filters):
    return list(FollowUp.objects.filter(kind=kind, status=FollowUpStatus.OPEN, **filters))


def test_recording_a_referrer_or_introducer_creates_one_thank_you(user):
    opportunity = _opportunity(user)
    ann = factories.ContactFactory(owner=user, full_name="Ann")
    bob = factories.ContactFactory(owner=user, full_name="Bob")
    eve = factories.ContactFactory(owner=user, full_name="Eve")
    services.add_person(owner=user, opportunity=opportunity, contact=ann, role="referrer")
    services.add_person(owner=user, opportunity=opportunity, contact=bob, role="introducer")
    services.add_person(owner=user, opportunity=opportunity, contact=eve, role="recruiter")
    thanks = {f.contact.full_name: f for f in _open(FollowUpKind.THANK_YOU)}
    assert set(thanks) == {"Ann", "Bob"}
    assert thanks["Ann"].note == "Thank them for the referral (Platform engineer)"
    assert thanks["Bob"].note == "Thank them for the introduction (Platform engineer)"
    assert thanks["Ann"].opportunity == opportunity


@pytest.mark.parametrize("stage", ["interviewing", "offer", "accepted", "rejected"])
def test_news_worth_telling_offers_to_tell_the_referrer_how_it_went(user, stage):
    opportunity = _opportunity(user)
    ann = factories.ContactFactory(owner=user, full_name="Ann")
    services.add_person(owner=user, opportunity=opportunity, contact=ann, role="referrer")
    services.move_to_stage(owner=user, opportunity=opportunity, stage=stage)
    [loop] = _open(FollowUpKind.CLOSE_LOOP)
    assert loop.contact == ann and loop.opportunity == opportunity
    assert loop.headline == "Tell Ann how it went"


def test_moving_back_and_forth_keeps_one_open_loop_with_the_latest_news(user):
    opportunity = _opportunity(user)
    ann = factories.ContactFactory(owner=user)
    services.add_person(owner=user, opportunity=opportunity, contact=ann, role="referrer")
    for stage in ["interviewing", "applied", "interviewing", "offer"]:
        services.move_to_stage(owner=user, opportunity=opportunity, stage=stage)
    [loop] = _open(FollowUpKind.CLOSE_LOOP)
    assert "you got an offer" in loop.note


def test_a_stage_without_news_or_an_opportunity_without_referrer_offers_nothing(user):
    opportunity = _opportunity(user)
    services.move_to_stage(owner=user, opportunity=opportunity, stage=Stage.INTERVIEWING)
    other = _opportunity(user)
    services.add_person(
        owner=user,
        opportunity=other,
        contact=factories.ContactFactory(owner=user),
        role=PersonRole.REFERRER,
    )
    services.move_to_stage(owner=user, opportunity=other, stage=Stage.APPLIED)
    assert _open(FollowUpKind.CLOSE_LOOP) == []


def _steps_for(contact):
    """What is planned for `contact`, kind by kind, leaving out what was dropped."""
    rows = FollowUp.objects.filter(contact=contact).exclude(status=FollowUpStatus.CANCELED)
    return sorted((f.kind, f.note) for f in rows)


def _introduced_then_recorded(user, bob, ann, opportunity, people):
    contacts.update_contact(owner=user, contact=ann, introduced_by=bob)
    for contact, role in people:
        services.add_person(owner=user, opportunity=opportunity, contact=contact, role=role)


def _recorded_then_introduced(user, bob, ann, opportunity, people):
    for contact, role in people:
        services.add_person(owner=user, opportunity=opportunity, contact=contact, role=role)
    contacts.update_contact(owner=user, contact=ann, introduced_by=bob)


@pytest.mark.parametrize("story", [_introduced_then_recorded, _recorded_then_introduced])
@pytest.mark.parametrize("introducer_first", [True, False])
def test_the_introducer_of_someone_on_the_opportunity_is_thanked_once_through_its_moves(
    user, story, introducer_first
):
    # Bob introduced Ann, Ann referred: "Bob introduced me" on the contact and "Bob is the
    # introducer" on the opportunity are one introduction, thanked once, whichever came first.
    opportunity = _opportunity(user)
    bob = factories.ContactFactory(owner=user, full_name="Bob")
    ann = factories.ContactFactory(owner=user, full_name="Ann")
    people = [(bob, PersonRole.INTRODUCER), (ann, PersonRole.REFERRER)]
    story(user, bob, ann, opportunity, people if introducer_first else people[::-1])
    for stage in [Stage.INTERVIEWING, Stage.OFFER]:
        services.move_to_stage(owner=user, opportunity=opportunity, stage=stage)
    assert _steps_for(bob) == [
        ("close_loop", "Tell them how it went: you got an offer (Platform engineer)"),
        ("thank_you", "Thank them for introducing you to Ann"),
    ]
    assert _steps_for(ann) == [
        ("close_loop", "Tell them how it went: you got an offer (Platform engineer)"),
        ("thank_you", "Thank them for the referral (Platform engineer)"),
    ]


def test_an_introduction_already_thanked_on_the_opportunity_is_not_thanked_again(user):
    opportunity = _opportunity(user)
    bob = factories.ContactFactory(owner=user, full_name="Bob")
    ann = factories.ContactFactory(owner=user, full_name="Ann")
    services.add_person(owner=user, opportunity=opportunity, contact=ann, role="insider")
    services.add_person(owner=user, opportunity=opportunity, contact=bob, role="introducer")
    [thanks] = _open(FollowUpKind.THANK_YOU, contact=bob)
    reminders.complete_follow_up(owner=user, follow_up=thanks)
    contacts.update_contact(owner=user, contact=ann, introduced_by=bob)
    services.move_to_stage(owner=user, opportunity=opportunity, stage=Stage.INTERVIEWING)
    assert _steps_for(bob) == [
        ("close_loop", "Tell them how it went: you got an interview (Platform engineer)"),
        ("thank_you", "Thank them for the introduction (Platform engineer)"),
    ]


def test_an_introducer_who_also_referred_or_introduced_someone_else_is_thanked_for_each(user):
    opportunity = _opportunity(user)
    other = factories.OpportunityFactory(owner=user, role_title="Data engineer")
    bob = factories.ContactFactory(owner=user, full_name="Bob")
    ann = contacts.create_contact(owner=user, full_name="Ann", introduced_by=bob)
    # The referral is a second reason to thank him; an introduction on an opportunity Ann is
    # not on is another introduction.
    for contact, role in [(bob, "introducer"), (bob, "referrer"), (ann, "insider")]:
        services.add_person(owner=user, opportunity=opportunity, contact=contact, role=role)
    services.add_person(owner=user, opportunity=other, contact=bob, role="introducer")
    assert [note for kind, note in _steps_for(bob)] == [
        "Thank them for introducing you to Ann",
        "Thank them for the introduction (Data engineer)",
        "Thank them for the referral (Platform engineer)",
    ]


def _interview(user, opportunity, interviewers, starts_at, **kwargs):
    return services.save_interview(
        owner=user,
        opportunity=opportunity,
        title="Systems design",
        starts_at=starts_at,
        interviewers=interviewers,
        **kwargs,
    )


def test_an_interview_plans_a_thank_you_to_each_interviewer_the_next_morning_local(user):
    user.timezone = "America/New_York"
    user.save()
    opportunity = _opportunity(user)
    ann = factories.ContactFactory(owner=user, full_name="Ann")
    # 20:00 in New York is 01:00 UTC the next day: "the next morning" is still the 6th, local.
    starts = at("America/New_York", 2026, 5, 5, 20, 0)
    interview = _interview(user, opportunity, [ann], starts, new_interviewer_names=["Kim Park"])
    thanks = _open(FollowUpKind.INTERVIEW_THANKS)
    assert {f.contact.full_name for f in thanks} == {"Ann", "Kim Park"}
    assert {f.due_at for f in thanks} == {at("America/New_York", 2026, 5, 6, 9, 0)}
    assert all(f.interview == interview for f in thanks)
    # Interviewers join the opportunity's people; the new one is a contact at its organization.
    kim = interview.interviewers.get(full_name="Kim Park")
    assert kim.organization == opportunity.organization
    assert set(opportunity.people.filter(role="interviewer").values_list("contact", flat=True)) == {
        ann.pk,
        kim.pk,
    }


def test_moving_an_interview_moves_its_thank_yous_and_a_removed_interviewer_is_dropped(user):
    opportunity = _opportunity(user)
    ann = factories.ContactFactory(owner=user)
    bob = factories.ContactFactory(owner=user)
    interview = _interview(user, opportunity, [ann, bob], at("UTC", 2026, 5, 5, 10, 0))
    _interview(user, opportunity, [ann], at("UTC", 2026, 5, 8, 10, 0), interview=interview)
    [thanks] = _open(FollowUpKind.INTERVIEW_THANKS)
    assert (thanks.contact, thanks.due_at) == (ann, at("UTC", 2026, 5, 9, 9, 0))
    assert FollowUp.objects.get(contact=bob, kind=FollowUpKind.INTERVIEW_THANKS).status == (
        FollowUpStatus.CANCELED
    )


def test_interview_thank_yous_are_sent_exactly_once(user, mailoutbox):
    outbox = mailoutbox
    opportunity = _opportunity(user)
    ann = factories.ContactFactory(owner=user, full_name="Ann")
    _interview(user, opportunity, [ann], at("UTC", 2026, 5, 5, 10, 0))
    due = at("UTC", 2026, 5, 6, 9, 0)
    for minute in range(3):
        with time_machine.travel(due + dt.timedelta(minutes=minute), tick=False):
            ids = reminders.collect_due()
            for pk in ids + ids:
                reminders.deliver(pk)
    assert len(outbox) == 1
    assert outbox[0].subject.startswith("Thank Ann for the interview")
    assert Delivery.objects.count() == 1


def test_the_calendar_feed_lists_interviews(client, user):
    opportunity = _opportunity(user)
    ann = factories.ContactFactory(owner=user, full_name="Ann")
    _interview(user, opportunity, [ann], dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    events = Calendar.from_ical(client.get(f"/calendar/{user.calendar_token}.ics").content)
    summaries = sorted(str(e["summary"]) for e in events.walk("VEVENT"))
    assert summaries == [
        f"Interview: Systems design ({opportunity})",
        "Thank Ann for the interview",
    ]
    [interview] = [e for e in events.walk("VEVENT") if str(e["summary"]).startswith("Interview")]
    assert "With Ann" in str(interview["description"])


def test_the_interview_form_takes_the_users_wall_clock(client_for, user):
    user.timezone = "Europe/Paris"
    user.save()
    opportunity = _opportunity(user)
    ann = factories.ContactFactory(owner=user)
    client = client_for(user)
    token = csrf_token(client, opportunity.get_absolute_url())
    response = client.post(
        f"/opportunities/{opportunity.pk}/interviews/",
        {
            "csrfmiddlewaretoken": token,
            "title": "Hiring manager",
            "date": "2026-07-01",
            "time": "14:30",
            "minutes": "45",
            "interviewers": [ann.pk],
            "prep_notes": "Read their engineering blog",
        },
    )
    assert response.status_code == 302
    interview = InterviewRound.objects.get()
    assert interview.starts_at == at("Europe/Paris", 2026, 7, 1, 14, 30)
    page = client.get(opportunity.get_absolute_url()).content.decode()
    assert "Hiring manager" in page and "Read their engineering blog" in page


def test_a_bad_interview_form_keeps_what_was_typed(client_for, user):
    opportunity = _opportunity(user)
    client = client_for(user)
    token = csrf_token(client, opportunity.get_absolute_url())
    response = client.post(
        f"/opportunities/{opportunity.pk}/interviews/",
        {"csrfmiddlewaretoken": token, "title": "Final round", "time": "10:00"},
    )
    assert response.status_code == 400
    assert "Final round" in response.content.decode()
    assert not InterviewRound.objects.exists()


def test_interviews_need_csrf_and_stay_with_their_owner(client_for, user, other_user):
    theirs = _opportunity(other_user)
    interview = _interview(other_user, theirs, [], at("UTC", 2026, 5, 5, 10, 0))
    client = client_for(user)
    assert client.post(f"/opportunities/{theirs.pk}/interviews/", {}).status_code == 403
    token = csrf_token(client, "/")
    url = f"/opportunities/{theirs.pk}/interviews/{interview.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url + "delete/", {"csrfmiddlewaretoken": token}).status_code == 404
    assert InterviewRound.objects.filter(pk=interview.pk).exists()


def test_the_debrief_is_saved_from_the_interview_page(client_for, user):
    opportunity = _opportunity(user)
    interview = _interview(user, opportunity, [], at("UTC", 2026, 5, 5, 10, 0))
    client = client_for(user)
    url = f"/opportunities/{opportunity.pk}/interviews/{interview.pk}/"
    token = csrf_token(client, url)
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if k != "interviewers"}
    data.update(csrfmiddlewaretoken=token, debrief="They asked about caching", minutes=60)
    assert client.post(url, data).status_code == 302
    interview.refresh_from_db()
    assert interview.debrief == "They asked about caching"
