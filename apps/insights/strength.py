"""Relationship strength, computed from what actually happened with each contact.

Warmth is what the user set by hand; strength is what the logged behaviour says. Both are shown
side by side, and reports that decide "is there a warm way in" take the stronger of the two.

The score (0-100) adds five parts, each capped (also explained on the Insights page):
- recency, up to 25: full within RECENT_DAYS of the last interaction, falling to 0 at a year;
- frequency, up to 20: conversations in the last FREQUENCY_DAYS days (a like or comment is a
  quarter of one), full at FULL_CONVERSATIONS;
- time, up to 15: minutes spent together in the last year, full at FULL_MINUTES;
- reciprocity, up to 15: the share of give-or-ask exchanges where the user gave;
- what they did for you, up to 25: 20 for the first referral or introduction, 5 for each more.
A contact who referred or introduced the user is at least "warm", whatever the score.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.contacts.models import Contact, Warmth
from apps.interactions.models import LOW_WEIGHT_KINDS, Interaction
from apps.opportunities.models import OpportunityContact, PersonRole

RECENT_DAYS = 30
FREQUENCY_DAYS = 60
YEAR_DAYS = 365
FULL_CONVERSATIONS = 4
FULL_MINUTES = 300
WARM_SCORE = 35
CLOSE_SCORE = 65
# Warmth values from coldest to closest: strength speaks the same words as the hand-set field.
RANK = {Warmth.COLD: 0, Warmth.WARM: 1, Warmth.CLOSE: 2}


@dataclass(frozen=True)
class Strength:
    score: int  # 0-100
    label: str  # a Warmth value: cold, warm or close
    why: str  # a short reason, e.g. "met 3 times in 60 days, referred you"
    referrals: int = 0
    introductions: int = 0
    last_interaction_at: dt.datetime | None = None

    @property
    def label_display(self) -> str:
        return Warmth(self.label).label

    @property
    def led_somewhere(self) -> bool:
        """Referred or introduced the user: such a contact is a warm way in."""
        return bool(self.referrals or self.introductions)


def stronger(warmth: str, strength: "Strength | None") -> str:
    """The warmer of the hand-set warmth and the computed strength label."""
    if strength is None or RANK.get(strength.label, 0) <= RANK.get(warmth, 0):
        return warmth
    return strength.label


def _count(queryset, column: str):
    return Coalesce(
        Subquery(
            queryset.order_by()
            .values(column)
            .annotate(n=Count("pk", distinct=True))
            .values("n")[:1]
        ),
        0,
        output_field=IntegerField(),
    )


def _times(n: int) -> str:
    return "once" if n == 1 else ("twice" if n == 2 else f"{n} times")


def _score(row: dict, now: dt.datetime) -> tuple[int, list[str]]:
    why, score = [], 0.0
    last = row["last_at"]
    if last is not None:
        days = max((now - last).days, 0)
        if days <= RECENT_DAYS:
            score += 25
        elif days < YEAR_DAYS:
            score += 25 * (YEAR_DAYS - days) / (YEAR_DAYS - RECENT_DAYS)
    conversations, touches = row["conversations"], row["touches"]
    score += 20 * min(conversations + touches / 4, FULL_CONVERSATIONS) / FULL_CONVERSATIONS
    score += 15 * min(row["minutes"], FULL_MINUTES) / FULL_MINUTES
    gives, asks = row["gives"], row["asks"]
    if gives or asks:
        score += 15 * gives / (gives + asks)
    did = row["referrals"] + row["introductions"]
    if did:
        score += min(20 + 5 * (did - 1), 25)

    if conversations:
        why.append(f"met {_times(conversations)} in {FREQUENCY_DAYS} days")
    elif last is not None:
        days = max((now - last).days, 0)
        why.append("last touch today" if days == 0 else f"last touch {days} days ago")
    else:
        why.append("nothing logged yet")
    if row["minutes"] >= 60:
        why.append(f"{round(row['minutes'] / 60, 1):g} h together this year")
    if gives and not asks:
        why.append("you only gave")
    elif asks and not gives:
        why.append("you only asked")
    elif gives:
        why.append(f"gave {gives}, asked {asks}")
    if row["referrals"]:
        why.append(
            "referred you" + (f" {_times(row['referrals'])}" if row["referrals"] > 1 else "")
        )
    if row["introductions"]:
        n = row["introductions"]
        why.append(f"introduced you to {n} {'person' if n == 1 else 'people'}")
    return round(min(score, 100)), why


def strength_for(owner, contact_ids: Iterable[int], *, now=None) -> dict[int, Strength]:
    """Strength of each of the owner's contacts in `contact_ids` (others' ids are ignored).

    Two queries whatever the number of contacts: the contacts with what they did for the user,
    and their interactions grouped per contact.
    """
    ids = list({int(pk) for pk in contact_ids})
    if not ids:
        return {}
    now = now or timezone.now()
    year_ago = now - dt.timedelta(days=YEAR_DAYS)
    recent = now - dt.timedelta(days=FREQUENCY_DAYS)
    roles = OpportunityContact.objects.filter(owner=owner, contact=OuterRef("pk"))
    people = (
        Contact.objects.owned_by(owner)
        .filter(pk__in=ids)
        .annotate(
            referrals=_count(roles.filter(role=PersonRole.REFERRER), "contact"),
            intro_roles=_count(roles.filter(role=PersonRole.INTRODUCER), "contact"),
            introduced_n=_count(
                Contact.objects.filter(owner=owner, introduced_by=OuterRef("pk")), "introduced_by"
            ),
        )
        .values("pk", "referrals", "intro_roles", "introduced_n")
    )
    link = Interaction.contacts.through
    past = Q(interaction__occurred_at__lte=now)
    light = Q(interaction__kind__in=LOW_WEIGHT_KINDS)
    asked = ~Q(interaction__asked="") | Q(interaction__asked_referral=True)
    in_window = past & Q(interaction__occurred_at__gte=recent)
    activity = {
        row.pop("contact_id"): row
        for row in link.objects.filter(contact_id__in=ids, interaction__owner=owner)
        .values("contact_id")
        .annotate(
            last_at=Max("interaction__occurred_at", filter=past),
            conversations=Count("pk", filter=in_window & ~light),
            touches=Count("pk", filter=in_window & light),
            minutes=Coalesce(
                Sum(
                    "interaction__minutes",
                    filter=past & Q(interaction__occurred_at__gte=year_ago),
                ),
                0,
            ),
            gives=Count("pk", filter=past & ~Q(interaction__gave="")),
            asks=Count("pk", filter=past & asked),
        )
        .order_by()
    }
    quiet = {"last_at": None, "conversations": 0, "touches": 0, "minutes": 0, "gives": 0, "asks": 0}
    result = {}
    for person in people:
        row = {
            **activity.get(person["pk"], quiet),
            "referrals": person["referrals"],
            # Introduced on an opportunity, or the "introduced by" of other contacts.
            "introductions": person["intro_roles"] + person["introduced_n"],
        }
        score, why = _score(row, now)
        label = Warmth.CLOSE if score >= CLOSE_SCORE else Warmth.WARM
        if score < WARM_SCORE and not (row["referrals"] or row["introductions"]):
            label = Warmth.COLD
        result[person["pk"]] = Strength(
            score=score,
            label=label.value,
            why=", ".join(why),
            referrals=row["referrals"],
            introductions=row["introductions"],
            last_interaction_at=row["last_at"],
        )
    return result
