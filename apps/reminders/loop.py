"""Closing the loop: the follow-ups an introduction, a referral, a stage move or an interview
calls for.

Called from receivers of contacts' and opportunities' signals. Each one checks what is already
there first (an open one for the same person and opportunity, or any one for the same
introduction), so a repeated event never piles up duplicates; all go through the same
delivery outbox as any other follow-up."""

import datetime as dt

from django.db.models import Exists, F, OuterRef
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
    """A thank-you to a referrer or introducer of the opportunity, once. An introducer who
    introduced someone on it (Bob introduced Ann, Ann referred) made one introduction, already
    thanked by name ("for introducing you to Ann"): that thank-you stands for both."""
    thanks = None
    if person.role == PersonRole.INTRODUCER:
        thanks = (
            _thanked_for_introducing(person.owner_id)
            .filter(
                contact=person.contact_id,
                introduction__opportunity_roles__opportunity=person.opportunity_id,
            )
            .first()
        )
    if thanks is None and person.role in THANKED_ROLES:
        what = "the referral" if person.role == PersonRole.REFERRER else "the introduction"
        thanks = offer_follow_up(
            owner=person.owner,
            contact=person.contact,
            kind=FollowUpKind.THANK_YOU,
            due_at=timezone.now(),
            note=f"Thank them for {what} ({person.opportunity.role_title})",
            opportunity=person.opportunity,
        )
    # Whoever joined may be the one the opportunity's introducer introduced (recorded after
    # the introducer): the introducer's thank-you on the opportunity repeats the other one.
    _second_thanks(person.owner_id).filter(opportunity=person.opportunity_id).update(
        status=FollowUpStatus.CANCELED, completed_at=timezone.now()
    )
    return thanks


def _thanked_for_introducing(owner_id):
    """Thank-yous, planned or said, for introductions the introducer still stands behind."""
    return (
        FollowUp.objects.owned_by(owner_id)
        .filter(kind=FollowUpKind.THANK_YOU, introduction__introduced_by=F("contact"))
        .exclude(status=FollowUpStatus.CANCELED)
    )


def _as_introducer_only(opportunity, contact):
    """The contact is the opportunity's introducer and not its referrer (a referral is a
    reason of its own to thank them)."""
    roles = OpportunityContact.objects.filter(opportunity=opportunity, contact=contact)
    return Exists(roles.filter(role=PersonRole.INTRODUCER)) & ~Exists(
        roles.filter(role=PersonRole.REFERRER)
    )


def _on_opportunity_thanks(owner_id):
    """Thank-yous on an opportunity to its introducer (not its referrer)."""
    return FollowUp.objects.owned_by(owner_id).filter(
        _as_introducer_only(OuterRef("opportunity"), OuterRef("contact")),
        kind=FollowUpKind.THANK_YOU,
        introduction=None,
        opportunity__isnull=False,
    )


def _second_thanks(owner_id):
    """Open thank-yous on an opportunity to its introducer for an introduction already thanked
    by name: someone on the opportunity was introduced by them, and thanked for."""
    by_name = _thanked_for_introducing(owner_id).filter(
        contact=OuterRef("contact"),
        introduction__opportunity_roles__opportunity=OuterRef("opportunity"),
    )
    return _on_opportunity_thanks(owner_id).filter(Exists(by_name), status=FollowUpStatus.OPEN)


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
    # Already thanked for the introduction on an opportunity the contact is on (the introducer
    # recorded there first): the same introduction, not a second one.
    said = (
        _on_opportunity_thanks(contact.owner_id)
        .filter(
            contact=introducer,
            status=FollowUpStatus.DONE,
            opportunity__people__contact=contact,
        )
        .first()
    )
    if said is not None:
        return said
    thanks = create_follow_up(
        owner=contact.owner,
        contact=introducer,
        kind=FollowUpKind.THANK_YOU,
        due_at=timezone.now(),
        note=f"Thank them for introducing you to {contact.full_name}"[:300],
        introduction=contact,
    )
    # One still to say on such an opportunity goes: this one names the person.
    _second_thanks(contact.owner_id).filter(contact=introducer).update(
        status=FollowUpStatus.CANCELED, completed_at=timezone.now()
    )
    return thanks


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
