"""Bulk data for query-budget tests and the benchmark: realistic shapes, inserted in batches."""

import datetime as dt
import random

from django.utils import timezone

from apps.contacts.models import Contact, Organization
from apps.core.choices import Channel
from apps.interactions.models import Interaction, Kind
from apps.opportunities.models import Opportunity, OpportunityContact, PersonRole, StageChange
from apps.reminders.models import FollowUp

PATHS = [
    ["identified"],
    ["identified", "networking"],
    ["identified", "networking", "referred", "applied"],
    ["identified", "applied", "rejected"],
    ["identified", "referred", "applied", "interviewing"],
    ["identified", "referred", "applied", "interviewing", "offer"],
    ["identified", "networking", "referred", "applied", "interviewing", "offer", "accepted"],
    ["identified", "networking", "withdrawn"],
    ["identified", "applied", "interviewing", "rejected"],
]


def populate(owner, *, contacts, interactions, opportunities, organizations=None, seed=7, now=None):
    rng = random.Random(seed)
    now = now or timezone.now()
    channels = Channel.values
    kinds = Kind.values
    span = 400  # days of history

    def moment():
        return now - dt.timedelta(days=rng.random() * span)

    n_orgs = organizations or max(1, contacts // 20)
    base = Organization.objects.filter(owner=owner).count()
    orgs = Organization.objects.bulk_create(
        Organization(owner=owner, name=f"Org {base + i}", is_target=i % 25 == 0)
        for i in range(n_orgs)
    )
    people = Contact.objects.bulk_create(
        Contact(
            owner=owner,
            full_name=f"Person {i}",
            channel=rng.choice(channels),
            organization=rng.choice(orgs),
            warmth=rng.choice(["cold", "warm", "close"]),
            cadence_days=rng.choice([None, 14, 30, 90]),
            last_interaction_at=moment(),
            # About half came from an import (a LinkedIn export, an address book).
            added_via=rng.choice(["hand", "import"]),
        )
        for i in range(contacts)
    )
    # created_at is auto_now_add: spread it over the history afterwards, in one statement each
    # for a few buckets rather than a row at a time.
    ids = [p.pk for p in people]
    for bucket in range(10):
        Contact.objects.filter(pk__in=ids[bucket::10]).update(
            created_at=now - dt.timedelta(days=bucket * span / 10 + 1)
        )
    # Introductions: about a third of contacts were introduced by an earlier one (chains form).
    introduced = []
    for i in range(1, contacts):
        if rng.random() < 0.33:
            people[i].introduced_by_id = people[rng.randrange(0, i)].pk
            introduced.append(people[i])
    Contact.objects.bulk_update(introduced, ["introduced_by"], batch_size=1000)

    items = Interaction.objects.bulk_create(
        (
            Interaction(
                owner=owner,
                occurred_at=moment(),
                channel=rng.choice(channels),
                kind=rng.choice(kinds),
                minutes=rng.choice([0, 5, 15, 30, 45, 60, 90]),
                gave=rng.choice(["", "", "an intro"]),
                asked=rng.choice(["", "", "advice"]),
                asked_referral=rng.random() < 0.05,
                summary=f"Conversation {i}",
            )
            for i in range(interactions)
        ),
        batch_size=2000,
    )
    through = Interaction.contacts.through
    through.objects.bulk_create(
        (through(interaction_id=item.pk, contact_id=rng.choice(people).pk) for item in items),
        batch_size=5000,
    )

    opps, changes, roles = [], [], []
    for i in range(opportunities):
        path = rng.choice(PATHS)
        created = moment()
        opp = Opportunity(
            owner=owner,
            role_title=f"Role {i}",
            organization=rng.choice(orgs),
            source_channel=rng.choice(channels),
            stage=path[-1],
            created_at=created,
        )
        opp.path = path
        opps.append(opp)
    Opportunity.objects.bulk_create(opps, batch_size=1000)
    for opp in opps:
        when, previous = opp.created_at, ""
        for stage in opp.path:
            changes.append(
                StageChange(
                    owner=owner,
                    opportunity=opp,
                    from_stage=previous,
                    to_stage=stage,
                    changed_at=when,
                )
            )
            previous, when = stage, when + dt.timedelta(days=rng.randint(1, 20))
        for role in rng.sample(PersonRole.values, rng.randint(0, 3)):
            roles.append(
                OpportunityContact(
                    owner=owner, opportunity=opp, contact=rng.choice(people), role=role
                )
            )
    StageChange.objects.bulk_create(changes, batch_size=2000)
    OpportunityContact.objects.bulk_create(roles, batch_size=2000, ignore_conflicts=True)

    follow_ups = []
    for _ in range(max(1, interactions // 10)):
        due = moment()
        status = rng.choice(["open", "done", "done", "canceled"])
        follow_ups.append(
            FollowUp(
                owner=owner,
                contact=rng.choice(people),
                due_at=due,
                status=status,
                completed_at=due + dt.timedelta(hours=rng.randint(-48, 96))
                if status == "done"
                else None,
            )
        )
    FollowUp.objects.bulk_create(follow_ups, batch_size=2000)
