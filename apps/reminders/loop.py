"""Closing the loop: the follow-ups an introduction, a referral, a stage move or an interview
calls for.

Called from receivers of contacts' and opportunities' signals. Each one checks what is already
there first (an open one for the same person and opportunity, or any one for the same
introduction), so a repeated event never piles up duplicates; all go through the same
delivery outbox as any other follow-up."""

import datetime as dt

from django.utils import timezone

from apps.core.localtime import local_to_utc
from apps.opportunities.models import OpportunityContact, PersonRole, Stage
from apps.reminders import conf
from apps.reminders.models import FollowUp, FollowUpKind, FollowUpStatus
from apps.reminders.services import create_follow_up, offer_follow_up

THANKED_ROLES = [PersonRole.REFERRER, PersonRole.INTRODUCER]
# Stages worth telling a referrer about.
NEWS_STAGES = {
    Stage.INTERVIEWING: "you got an interview",
    Stage.OFFER: "you got an offer",
    Stage.ACCEPTED: "you accepted the offer",
    Stage.REJECTED: "it did not work out this time",
}


def thank_for_referral(*, person: OpportunityContact) -> FollowUp | None:
    if person.role not in THANKED_ROLES:
        return None
    what = "the referral" if person.role == PersonRole.REFERRER else "the introduction"
    return offer_follow_up(
        owner=person.owner,
        contact=person.contact,
        kind=FollowUpKind.THANK_YOU,
        due_at=timezone.now(),
        note=f"Thank them for {what} ({person.opportunity.role_title})",
        opportunity=person.opportunity,
    )


def thank_for_introduction(*, contact) -> FollowUp | None:
    """`contact` was introduced by `contact.introduced_by`: one thank-you per introduction,
    whatever its status since (re-saving the contact, or setting the same introducer again,
    thanks nobody twice). A still-open thank-you to someone who turns out not to be the
    introducer is canceled."""
    stale = FollowUp.objects.owned_by(contact.owner_id).filter(
        introduction=contact, kind=FollowUpKind.THANK_YOU, status=FollowUpStatus.OPEN
    )
    if contact.introduced_by_id:
        stale = stale.exclude(contact_id=contact.introduced_by_id)
    stale.update(status=FollowUpStatus.CANCELED, completed_at=timezone.now())
    introducer = contact.introduced_by
    if introducer is None or introducer.owner_id != contact.owner_id:
        return None
    thanked = (
        FollowUp.objects.owned_by(contact.owner_id)
        .filter(introduction=contact, contact=introducer, kind=FollowUpKind.THANK_YOU)
        .first()
    )
    if thanked is not None:
        return thanked
    return create_follow_up(
        owner=contact.owner,
        contact=introducer,
        kind=FollowUpKind.THANK_YOU,
        due_at=timezone.now(),
        note=f"Thank them for introducing you to {contact.full_name}"[:300],
        introduction=contact,
    )


def offer_to_close_the_loop(*, opportunity, stage: str) -> list[FollowUp]:
    """Tell each referrer and introducer how it went; one open loop per person and
    opportunity, its note following the latest news."""
    news = NEWS_STAGES.get(stage)
    if news is None:
        return []
    people = (
        OpportunityContact.objects.owned_by(opportunity.owner_id)
        .filter(opportunity=opportunity, role__in=THANKED_ROLES)
        .select_related("contact", "owner")
    )
    offered = []
    for person in people:
        offered.append(
            offer_follow_up(
                owner=person.owner,
                contact=person.contact,
                kind=FollowUpKind.CLOSE_LOOP,
                due_at=timezone.now(),
                note=f"Tell them how it went: {news} ({opportunity.role_title})",
                opportunity=opportunity,
            )
        )
    return offered


def plan_interview_thanks(*, interview) -> None:
    """A thank-you to each interviewer the morning after the interview (the user's zone);
    a moved interview moves its open thank-yous, a removed interviewer's is canceled."""
    owner = interview.owner
    zone = owner.zone
    day = interview.starts_at.astimezone(zone).date() + dt.timedelta(days=1)
    due = local_to_utc(day, conf.CADENCE_HOUR, zone)
    interviewers = list(interview.interviewers.all())
    open_thanks = FollowUp.objects.owned_by(owner).filter(
        interview=interview, kind=FollowUpKind.INTERVIEW_THANKS, status=FollowUpStatus.OPEN
    )
    open_thanks.exclude(contact__in=interviewers).update(
        status=FollowUpStatus.CANCELED, completed_at=timezone.now()
    )
    open_thanks.filter(contact__in=interviewers).exclude(due_at=due).update(due_at=due)
    for contact in interviewers:
        offer_follow_up(
            owner=owner,
            contact=contact,
            kind=FollowUpKind.INTERVIEW_THANKS,
            due_at=due,
            note=f"Thank them for the interview: {interview.title}",
            opportunity=interview.opportunity,
            interview=interview,
        )
