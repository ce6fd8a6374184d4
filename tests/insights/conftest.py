"""A small, fully known history for the Insights tests, and a reader for the figures on the page.

The user lives in America/New_York; "now" is Thursday 20 March 2025, 10:00 local (14:00 UTC),
eleven days after the switch to daylight saving time. Every expected figure in the tests is
worked out by hand from the rows below.
"""

import datetime as dt
import zoneinfo
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from apps.contacts.models import Contact
from apps.interactions.models import Interaction
from apps.opportunities.models import Opportunity, OpportunityContact, StageChange
from apps.reminders.models import FollowUp
from tests import factories

NY = zoneinfo.ZoneInfo("America/New_York")
NOW = dt.datetime(2025, 3, 20, 14, 0, tzinfo=dt.UTC)


def local(y, m, d, hh=0, mm=0, ss=0):
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=NY)


def utc(y, m, d, hh=0, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=dt.UTC)


def build_history(owner) -> SimpleNamespace:
    h = SimpleNamespace(owner=owner)
    org = factories.OrganizationFactory
    h.initech = org(owner=owner, name="Initech", is_target=True)
    h.globex = org(owner=owner, name="Globex", is_target=True)
    h.acme = org(owner=owner, name="Acme", is_target=False)

    def contact(name, created, **fields):
        fields.setdefault("organization", None)
        person = factories.ContactFactory(owner=owner, full_name=name, **fields)
        # created_at is auto_now_add: set the historical value afterwards.
        Contact.objects.filter(pk=person.pk).update(created_at=created)
        person.refresh_from_db()
        return person

    h.alice = contact("Alice", local(2025, 3, 1, 9), channel="in_person", warmth="close")
    h.bob = contact("Bob", local(2025, 3, 5, 9), channel="in_person", introduced_by=h.alice)
    h.carol = contact(
        "Carol",
        local(2025, 3, 6, 9),
        channel="linkedin",
        introduced_by=h.bob,
        warmth="warm",
        cadence_days=14,
        organization=h.initech,
        last_interaction_at=utc(2025, 3, 6, 15),
    )
    h.dan = contact(
        "Dan",
        local(2025, 3, 2, 9),
        channel="twitter",
        warmth="warm",
        cadence_days=14,
        last_interaction_at=local(2025, 3, 4, 9),
    )
    # One minute before the 30-day range starts (local midnight of 19 February).
    h.eve = contact(
        "Eve",
        local(2025, 2, 18, 23, 59),
        channel="twitter",
        warmth="warm",
        cadence_days=30,
        last_interaction_at=local(2025, 2, 19, 0),
    )
    h.frank = contact(
        "Frank",
        local(2025, 1, 5, 9),
        channel="email",
        organization=h.globex,
        last_interaction_at=local(2025, 3, 20, 9),
    )
    h.grace = contact(
        "Grace",
        local(2025, 1, 6, 9),
        channel="alumni",
        warmth="warm",
        cadence_days=7,
        organization=h.initech,
    )
    h.heidi = contact("Heidi", local(2025, 3, 18, 8), channel="event")
    h.ivan = contact(
        "Ivan", local(2025, 1, 7, 9), channel="other", organization=h.acme, warmth="close"
    )

    def interaction(when, channel, kind, minutes, people, **fields):
        item = Interaction.objects.create(
            owner=owner,
            occurred_at=when,
            channel=channel,
            kind=kind,
            minutes=minutes,
            summary=f"{kind} on {channel}",
            **fields,
        )
        item.contacts.set(people)
        return item

    interaction(
        local(2025, 3, 1, 10), "in_person", "meeting", 60, [h.alice], gave="Intro to a designer"
    )
    interaction(
        local(2025, 3, 5, 10),
        "in_person",
        "meeting",
        60,
        [h.alice, h.bob],
        asked="Advice on Initech",
    )
    interaction(local(2025, 3, 2, 10), "twitter", "like", 5, [h.dan])
    interaction(local(2025, 3, 3, 10), "twitter", "comment", 10, [h.dan])
    interaction(
        local(2025, 3, 4, 9),
        "twitter",
        "message",
        45,
        [h.dan],
        asked="Referral to the SRE team",
        asked_referral=True,
    )
    interaction(local(2025, 3, 6, 10), "linkedin", "message", 20, [h.carol], asked_referral=True)
    # 28 February 23:30 local is already 1 March in UTC: February for this user.
    interaction(
        local(2025, 2, 28, 23, 30), "linkedin", "message", 0, [h.carol], asked_referral=True
    )
    interaction(local(2025, 2, 18, 23, 59), "twitter", "message", 30, [h.eve])  # before range
    interaction(local(2025, 2, 19, 0), "twitter", "message", 15, [h.eve], gave="Shared a job post")
    interaction(local(2025, 3, 20, 9), "email", "call", 10, [h.frank])
    interaction(local(2025, 3, 21, 0), "email", "message", 50, [h.frank])  # tomorrow

    def opportunity(title, created, source, stages, organization=None, people=()):
        opp = Opportunity.objects.create(
            owner=owner,
            role_title=title,
            created_at=created,
            source_channel=source,
            stage=stages[-1][0],
            organization=organization,
        )
        previous = ""
        for stage, when in stages:
            StageChange.objects.create(
                owner=owner,
                opportunity=opp,
                from_stage=previous,
                to_stage=stage,
                changed_at=when,
            )
            previous = stage
        for person, role in people:
            OpportunityContact.objects.create(
                owner=owner, opportunity=opp, contact=person, role=role
            )
        return opp

    h.x1 = opportunity(
        "Backend engineer",
        utc(2025, 3, 2, 15),
        "in_person",
        [
            ("identified", utc(2025, 3, 2, 15)),
            ("referred", utc(2025, 3, 4, 15)),
            ("applied", utc(2025, 3, 5, 15)),
            ("interviewing", utc(2025, 3, 8, 15)),
            ("offer", utc(2025, 3, 15, 15)),
        ],
        organization=h.initech,
        people=[(h.carol, "referrer")],
    )
    h.x2 = opportunity(
        "Platform engineer",
        utc(2025, 3, 3, 15),
        "twitter",
        [
            ("identified", utc(2025, 3, 3, 15)),
            ("applied", utc(2025, 3, 7, 15)),
            ("rejected", utc(2025, 3, 12, 15)),
        ],
        organization=h.globex,
        people=[(h.bob, "insider")],
    )
    h.x3 = opportunity(
        "SRE",
        utc(2025, 3, 4, 15),
        "twitter",
        [
            ("identified", utc(2025, 3, 4, 15)),
            ("networking", utc(2025, 3, 6, 15)),
            ("withdrawn", utc(2025, 3, 10, 15)),
        ],
        people=[(h.dan, "recruiter")],
    )
    h.x4 = opportunity(
        "Old role",
        utc(2025, 2, 10, 15),
        "in_person",
        [("identified", utc(2025, 2, 10, 15)), ("interviewing", utc(2025, 2, 20, 15))],
        people=[(h.alice, "referrer")],
    )
    h.x5 = opportunity(
        "Data engineer", local(2025, 2, 19, 0), "linkedin", [("identified", local(2025, 2, 19))]
    )
    h.x6 = opportunity(
        "Too early",
        local(2025, 2, 18, 23, 59, 59),
        "linkedin",
        [("identified", local(2025, 2, 18, 23, 59, 59))],
    )

    def follow_up(due, status="open", completed=None, who=None):
        return FollowUp.objects.create(
            owner=owner,
            contact=who or h.alice,
            due_at=due,
            status=status,
            completed_at=completed,
        )

    # Done at 23:30 local on its due day: already the next day in UTC, still on time.
    h.f1 = follow_up(local(2025, 3, 10, 17), "done", local(2025, 3, 10, 23, 30))
    h.f2 = follow_up(local(2025, 3, 12, 9), "done", local(2025, 3, 11, 12))
    h.f3 = follow_up(local(2025, 3, 12, 9), "done", local(2025, 3, 14, 12))
    h.f4 = follow_up(local(2025, 3, 13, 9))
    h.f5 = follow_up(local(2025, 3, 20, 8))
    h.f6 = follow_up(local(2025, 3, 20, 18))
    h.f7 = follow_up(local(2025, 3, 25, 9))
    h.f8 = follow_up(local(2025, 2, 10, 9), who=h.bob)
    h.f9 = follow_up(local(2025, 3, 11, 9), "canceled")
    h.f10 = follow_up(local(2025, 2, 19, 0, 30), "done", local(2025, 2, 19, 8))
    return h


@pytest.fixture
def ny_user(db):
    return factories.UserFactory(
        timezone="America/New_York",
        target_conversations_per_week=4,
        target_new_contacts_per_week=2,
        target_referral_asks_per_week=2,
        target_given_per_week=1,
    )


@pytest.fixture
def history(ny_user):
    return build_history(ny_user)


ROW_KEYS = (
    "data-channel",
    "data-contact",
    "data-stage",
    "data-org",
    "data-lost",
    "data-week",
    "data-target",
)
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _FigureReader(HTMLParser):
    """Collects the text of every element with data-figure, keyed by (section, row, figure)."""

    def __init__(self):
        super().__init__()
        self.stack, self.open_figures, self.figures = [], [], {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in VOID:
            return
        self.stack.append((tag, attrs))
        if "data-figure" in attrs:
            section = next((a.get("id") for t, a in reversed(self.stack) if t == "section"), None)
            row = next((a[k] for _, a in reversed(self.stack) for k in ROW_KEYS if k in a), None)
            key = (section, row, attrs["data-figure"])
            self.open_figures.append([len(self.stack), key, []])

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            depth = len(self.stack)
            name, _ = self.stack.pop()
            if self.open_figures and self.open_figures[-1][0] == depth:
                _, key, parts = self.open_figures.pop()
                self.figures[key] = " ".join("".join(parts).split())
            if name == tag:
                break

    def handle_data(self, data):
        for figure in self.open_figures:
            figure[2].append(data)


def read_figures(html: str) -> dict:
    reader = _FigureReader()
    reader.feed(html)
    return reader.figures
