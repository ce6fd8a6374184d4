"""Weekly targets: what the user did this local week against each target they set.

Each target links to the drill-down listing exactly the rows it counts.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.core.localtime import local_midnight
from apps.core.subqueries import count_of
from apps.insights.reports.met import met_between
from apps.interactions.models import LOW_WEIGHT_KINDS, Interaction


@dataclass
class TargetProgress:
    label: str
    done: int
    target: int
    period: str
    href: str

    @property
    def percent(self) -> int:
        if not self.target:
            return 100
        return min(100, round(self.done * 100 / self.target))

    @property
    def met(self) -> bool:
        return self.done >= self.target


def weekly_targets(user, now=None) -> list[TargetProgress]:
    """What the user did this local week (Monday first) against each weekly target: 1 query.

    Conversations leave likes and comments out; people met are first conversations or contacts
    added by hand (never imported rows, see reports.met); referral asks and things given are
    interactions where a referral was asked, or "what I gave" is filled in.
    """
    zone = user.zone
    today = (now or timezone.now()).astimezone(zone).date()
    week_start = local_midnight(today - dt.timedelta(days=today.weekday()), zone)
    week_end = local_midnight(week_start.date() + dt.timedelta(days=7), zone)
    week = Interaction.objects.filter(
        owner=OuterRef("pk"), occurred_at__gte=week_start, occurred_at__lt=week_end
    )
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            conversations=count_of(week.exclude(kind__in=LOW_WEIGHT_KINDS)),
            people_met=count_of(met_between(user, week_start, week_end)),
            referral_asks=count_of(week.filter(asked_referral=True)),
            given=count_of(week.exclude(gave="")),
        )
        .values(
            "conversations",
            "people_met",
            "referral_asks",
            "given",
            "target_conversations_per_week",
            "target_new_contacts_per_week",
            "target_referral_asks_per_week",
            "target_given_per_week",
        )
        .get()
    )
    monday = week_start.date()
    week_q = (
        f"range=custom&from={monday.isoformat()}&to={(monday + dt.timedelta(days=6)).isoformat()}"
    )
    interactions = reverse("insights:interactions")
    return [
        TargetProgress(
            "Conversations",
            row["conversations"],
            row["target_conversations_per_week"],
            "this week",
            f"{interactions}?{week_q}&weight=conversation",
        ),
        TargetProgress(
            "People met",
            row["people_met"],
            row["target_new_contacts_per_week"],
            "this week",
            f"{reverse('insights:contacts')}?{week_q}",
        ),
        TargetProgress(
            "Referral asks",
            row["referral_asks"],
            row["target_referral_asks_per_week"],
            "this week",
            f"{interactions}?{week_q}&referral_ask=1",
        ),
        TargetProgress(
            "Things given",
            row["given"],
            row["target_given_per_week"],
            "this week",
            f"{interactions}?{week_q}&gave=1",
        ),
    ]
