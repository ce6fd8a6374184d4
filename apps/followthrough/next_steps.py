"""Suggested asks for Today: for each target company with a path but no open ask, the person
to ask and the template to ask with. Snoozed or dismissed suggestions stay away."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from apps.contacts.models import Contact, Organization
from apps.followthrough.paths import Paths, paths_for
from apps.interactions.models import Interaction, OutreachTemplate, TemplatePurpose
from apps.opportunities.models import Opportunity, Stage
from apps.reminders.models import NextStepDismissal

RECENT_ASK_DAYS = 30
MAX_TARGETS = 20
MAX_SUGGESTIONS = 3
# An opportunity at these stages already has its referral (or needs none any more).
PAST_ASKING = [Stage.REFERRED, Stage.APPLIED, Stage.INTERVIEWING, Stage.OFFER]


@dataclass
class SuggestedAsk:
    organization: Organization
    contact: Contact
    why: str
    template: OutreachTemplate | None


def open_targets(*, owner, now=None):
    """Target companies with no ask in the last 30 days, no opportunity past asking and no
    active snooze or dismissal. One query."""
    now = now or timezone.now()
    asked = Interaction.objects.owned_by(owner).filter(
        Q(asked_referral=True) | ~Q(asked=""),
        occurred_at__gte=now - dt.timedelta(days=RECENT_ASK_DAYS),
        contacts__organization=OuterRef("pk"),
    )
    moving = Opportunity.objects.owned_by(owner).filter(
        organization=OuterRef("pk"), stage__in=PAST_ASKING
    )
    held = NextStepDismissal.objects.owned_by(owner).filter(
        Q(until=None) | Q(until__gt=now), organization=OuterRef("pk")
    )
    return (
        Organization.objects.owned_by(owner)
        .filter(is_target=True)
        .exclude(Exists(asked))
        .exclude(Exists(moving))
        .exclude(Exists(held))
        .order_by("name", "pk")[:MAX_TARGETS]
    )


def _pick(paths: Paths, templates: dict) -> SuggestedAsk | None:
    if paths.insiders:
        contact, strength = paths.insiders[0]
        why = f"works at {paths.organization.name}"
        if strength is not None:
            why += f"; {strength.label_display.lower()}: {strength.why}"
        return SuggestedAsk(
            paths.organization, contact, why, templates.get(TemplatePurpose.REFERRAL_ASK)
        )
    if paths.introducers:
        best = paths.introducers[0]
        return SuggestedAsk(
            paths.organization,
            best.contact,
            best.reason,
            templates.get(TemplatePurpose.INTRO_REQUEST),
        )
    return None


def suggested_asks(*, owner, now=None) -> list[SuggestedAsk]:
    targets = list(open_targets(owner=owner, now=now))
    if not targets:
        return []
    templates = {}
    for template in (
        OutreachTemplate.objects.owned_by(owner)
        .filter(purpose__in=[TemplatePurpose.REFERRAL_ASK, TemplatePurpose.INTRO_REQUEST])
        .order_by("pk")
    ):
        templates.setdefault(template.purpose, template)
    suggestions = []
    for paths in paths_for(owner=owner, organizations=targets).values():
        suggestion = _pick(paths, templates)
        if suggestion is not None:
            suggestions.append(suggestion)
    return suggestions[:MAX_SUGGESTIONS]
