"""The attribution model: the Dana sequence figure by figure, and properties of random accounts."""

import datetime as dt

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.contacts.models import Contact
from apps.core.choices import Channel
from apps.insights import attribution, drilldowns, strength
from apps.insights.attribution import split_among_people
from apps.insights.ranges import build_range
from apps.insights.reports.channels import COUNTS, channel_return, credited_to_channel, per_hour
from apps.insights.reports.met import met_between, with_met_at
from apps.interactions.models import Interaction
from apps.opportunities.models import Opportunity, OpportunityContact, StageChange
from tests import factories
from tests.insights.conftest import read_figures

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 6, 12, 15, 0, tzinfo=dt.UTC)
KEYS = [
    "minutes",
    "conversations",
    "touches",
    "new_contacts",
    "referrals",
    "opportunities",
    "interviews",
    "offers",
    "per_hour",
    "referrals_per_hour",
]


def test_equal_split_and_half_passed_up_each_introduction():
    # 1 introduced 2, 2 introduced 3; 3 and 4 are on the opportunity.
    introducer = {1: None, 2: 1, 3: 2, 4: None}
    assert split_among_people([3, 4], introducer) == {3: 0.25, 2: 0.125, 1: 0.125, 4: 0.5}
    # A cycle (5 ↔ 6) stops where it would come back.
    assert split_among_people([5], {5: 6, 6: 5}) == {5: 0.5, 6: 0.5}
    # An introducer outside the account keeps nothing.
    assert split_among_people([7], {7: 999}) == {7: 1.0}
    assert split_among_people([], {}) == {}


@pytest.fixture
def dana(user):
    """Met Dana at a meetup, a 45-minute coffee, then she referred me at her company."""
    with time_machine.travel(NOW - dt.timedelta(days=10), tick=False):
        company = factories.OrganizationFactory(owner=user, name="Dana Co", is_target=True)
        person = factories.ContactFactory(
            owner=user, full_name="Dana", channel=Channel.EVENT, organization=company
        )
    factories.InteractionFactory(
        owner=user,
        contacts=[person],
        occurred_at=NOW - dt.timedelta(days=7),
        channel=Channel.IN_PERSON,
        kind="meeting",
        minutes=45,
        summary="Coffee with Dana",
    )
    opp = factories.OpportunityFactory(
        owner=user,
        organization=company,
        role_title="Staff engineer",
        source_channel=Channel.REFERRAL,
        stage="referred",
        created_at=NOW - dt.timedelta(days=3),
    )
    factories.OpportunityContactFactory(opportunity=opp, contact=person, role="referrer")
    return person, opp


def _figures(client, query):
    with time_machine.travel(NOW, tick=False):
        response = client.get(f"/insights/{query}")
    assert response.status_code == 200
    return read_figures(response.content.decode())


def _row(f, channel):
    return [f[("channels", channel, k)] for k in KEYS]


def test_dana_time_weighted_credits_the_coffee(user, client_for, dana):
    f = _figures(client_for(user), "?range=30d&view=time")
    order = [k[1] for k in f if k[0] == "channels" and k[2] == "minutes"]
    assert order == ["in_person", "event", "total"]  # nothing left on "Referral / introduction"
    # The referral is Dana's, and all the time with her before it was the 45-minute coffee:
    # 1 opportunity / 0.75 h = 1.33 per hour.
    assert _row(f, "in_person") == [*["45 min", "1", "0", "0", "1", "1", "0", "0", "1.33", "1.33"]]
    # Met at the meetup: a new person there, no time, no rate.
    assert _row(f, "event") == ["0 min", "0", "0", "1", "0", "0", "0", "0", "—", "—"]
    # The total is the sum of the rows, and its rate is what the rows add up to.
    assert _row(f, "total") == ["45 min", "1", "0", "1", "1", "1", "0", "0", "1.33", "1.33"]
    assert ("channels", "in_person", "no_relationship") not in f
    assert f[("contacts-led", "Dana", "credit")] == "1"
    assert f[("contacts-led", "Dana", "referrals")] == "1"
    # Target companies: Dana referred me, so Dana Co has a warm way in.
    assert f[("targets", "Dana Co", "warm")] == "1 of 1"
    assert ("targets", None, "without_warm") not in f
    assert f[("targets", "Dana", "strength")] == ("strength 52 · met once in 60 days, referred you")


def test_dana_first_touch_credits_the_meetup(user, client_for, dana):
    f = _figures(client_for(user), "?range=30d&view=first")
    order = [k[1] for k in f if k[0] == "channels" and k[2] == "minutes"]
    assert order == ["event", "in_person", "total"]
    assert _row(f, "event") == ["0 min", "0", "0", "1", "1", "1", "0", "0", "—", "—"]
    assert _row(f, "in_person") == ["45 min", "1", "0", "0", "0", "0", "0", "0", "0.0", "0.0"]
    assert _row(f, "total") == ["45 min", "1", "0", "1", "1", "1", "0", "0", "1.33", "1.33"]


def test_dana_drilldown_lists_the_credited_opportunity(user, client_for, dana):
    _, opp = dana
    with time_machine.travel(NOW, tick=False):
        html = (
            client_for(user)
            .get("/insights/opportunities/?range=30d&channel=in_person&view=time")
            .content.decode()
        )
    assert "credited to Coffee / in person (time-weighted)" in html
    assert "· 1 row · credit 1</p>" in html
    assert f'data-opportunity="{opp.pk}"' in html


def test_a_cold_application_is_credited_to_its_source_as_no_relationship(user, client_for):
    with time_machine.travel(NOW - dt.timedelta(days=2), tick=False):
        factories.OpportunityFactory(owner=user, source_channel=Channel.JOB_BOARD)
    f = _figures(client_for(user), "?range=30d&view=time")
    assert f[("channels", "job_board", "opportunities")] == "1"
    assert f[("channels", "job_board", "no_relationship")] == "1 with no relationship"
    with time_machine.travel(NOW, tick=False):
        html = (
            client_for(user)
            .get("/insights/opportunities/?range=30d&channel=job_board")
            .content.decode()
        )
    assert "no relationship</span>" in html


def test_time_without_minutes_counts_the_stated_default(user):
    """Two contacts share an opportunity; one has a 0-minute message on email and 15 min on
    LinkedIn: half of their half to each."""
    a = factories.ContactFactory(owner=user, channel=Channel.EVENT)
    b = factories.ContactFactory(owner=user, channel=Channel.ALUMNI)
    before = NOW - dt.timedelta(days=5)
    factories.InteractionFactory(
        owner=user, contacts=[a], occurred_at=before, channel=Channel.EMAIL, minutes=0
    )
    factories.InteractionFactory(
        owner=user, contacts=[a], occurred_at=before, channel=Channel.LINKEDIN, minutes=15
    )
    # A like without minutes weighs nothing; after the opportunity nothing counts.
    factories.InteractionFactory(
        owner=user,
        contacts=[a],
        occurred_at=before,
        channel=Channel.TWITTER,
        kind="like",
        minutes=0,
    )
    factories.InteractionFactory(
        owner=user, contacts=[a], occurred_at=NOW, channel=Channel.PHONE, minutes=600
    )
    opp = factories.OpportunityFactory(owner=user, created_at=NOW - dt.timedelta(days=1))
    for person in (a, b):
        factories.OpportunityContactFactory(opportunity=opp, contact=person, role="insider")
    rng = build_range(preset="30d", zone=dt.UTC, now=NOW)
    (credit,) = attribution.attribute(user, rng, attribution.TIME).opportunities
    assert credit.people == {a.pk: 0.5, b.pk: 0.5}
    # b has no time logged: their half goes to how we met them.
    assert credit.channels == {Channel.EMAIL: 0.25, Channel.LINKEDIN: 0.25, Channel.ALUMNI: 0.5}
    (first,) = attribution.attribute(user, rng, attribution.FIRST).opportunities
    assert first.channels == {Channel.EVENT: 0.5, Channel.ALUMNI: 0.5}


# ---------------------------------------------------------------------------------------------
# Properties of random accounts
# ---------------------------------------------------------------------------------------------

CHANNELS = [Channel.LINKEDIN, Channel.EMAIL, Channel.IN_PERSON, Channel.EVENT, Channel.JOB_BOARD]
PATHS = [
    ["identified"],
    ["identified", "referred", "applied"],
    ["identified", "applied", "interviewing"],
    ["identified", "applied", "interviewing", "offer"],
    ["identified", "applied", "rejected"],
]

account = st.fixed_dictionaries(
    {
        "contacts": st.lists(
            st.tuples(st.sampled_from(CHANNELS), st.none() | st.integers(0, 5)),
            min_size=1,
            max_size=6,
        ),
        "interactions": st.lists(
            st.tuples(
                st.lists(st.integers(0, 5), min_size=1, max_size=2),
                st.sampled_from(CHANNELS),
                st.sampled_from([0, 10, 45]),
                st.sampled_from(["message", "meeting", "like"]),
                st.integers(0, 80),  # days ago
            ),
            max_size=8,
        ),
        "opportunities": st.lists(
            st.tuples(
                st.sampled_from(CHANNELS),
                st.integers(0, 80),
                st.lists(
                    st.tuples(st.integers(0, 5), st.sampled_from(["referrer", "insider"])),
                    max_size=3,
                ),
                st.sampled_from(PATHS),
            ),
            max_size=4,
        ),
    }
)


def _build(owner, spec):
    people = [
        Contact.objects.create(
            owner=owner, full_name=f"P{i}", channel=channel, added_via=("hand", "import")[i % 2]
        )
        for i, (channel, _) in enumerate(spec["contacts"])
    ]
    # Added over the last 90 days, some before the conversations with them, some after.
    for i, person in enumerate(people):
        Contact.objects.filter(pk=person.pk).update(created_at=NOW - dt.timedelta(days=17 * i))
    for person, (_, parent) in zip(people, spec["contacts"], strict=True):
        if parent is not None and parent < len(people) and people[parent] != person:
            person.introduced_by = people[parent]
            person.save(update_fields=["introduced_by"])
    for who, channel, minutes, kind, ago in spec["interactions"]:
        item = Interaction.objects.create(
            owner=owner,
            occurred_at=NOW - dt.timedelta(days=ago, hours=1),
            channel=channel,
            minutes=minutes,
            kind=kind,
            summary="x",
        )
        item.contacts.set({people[i % len(people)] for i in who})
    for channel, ago, links, path in spec["opportunities"]:
        created = NOW - dt.timedelta(days=ago, hours=2)
        opp = Opportunity.objects.create(
            owner=owner, role_title="R", source_channel=channel, stage=path[-1], created_at=created
        )
        previous = ""
        for stage in path:
            StageChange.objects.create(
                owner=owner,
                opportunity=opp,
                from_stage=previous,
                to_stage=stage,
                changed_at=created,
            )
            previous = stage
        for i, role in {(i % len(people), role) for i, role in links}:
            OpportunityContact.objects.create(
                owner=owner, opportunity=opp, contact=people[i], role=role
            )
    return people


def _snapshot(user, rng, view):
    credit = attribution.attribute(user, rng, view)
    report = channel_return(user, rng, credit)
    rows = [(r.channel, *(round(getattr(r, name), 9) for name in COUNTS)) for r in report["rows"]]
    return credit, report, rows


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=account, view=st.sampled_from([attribution.TIME, attribution.FIRST]))
def test_random_accounts_keep_every_figure_consistent(db, spec, view):
    user = factories.UserFactory()
    _build(user, spec)
    rng = build_range(preset="90d", zone=dt.UTC, now=NOW)
    with time_machine.travel(NOW, tick=False):
        credit, report, rows = _snapshot(user, rng, view)
    # Each opportunity's credit is 1, to people (when it has any) and to channels.
    assert len(credit.opportunities) == len(spec["opportunities"])
    for opp in credit.opportunities:
        assert sum(opp.channels.values()) == pytest.approx(1)
        assert opp.no_relationship or sum(opp.people.values()) == pytest.approx(1)
    # The totals row is the sum of the rows; every rate is count / hours.
    total = report["total"]
    for name in COUNTS:
        assert getattr(total, name) == pytest.approx(sum(getattr(r, name) for r in report["rows"]))
    assert total.opportunities == pytest.approx(len(spec["opportunities"]))
    for row in [*report["rows"], total]:
        assert row.opportunities_per_hour == per_hour(row.opportunities, row.minutes)
        assert row.referrals_per_hour == per_hour(row.referrals, row.minutes)
        if row.minutes:
            assert row.opportunities_per_hour == round(row.opportunities * 60 / row.minutes, 2)
    # Every credited figure's drill-down lists exactly the opportunities it adds up.
    for row in report["rows"]:
        for name, params in (
            ("opportunities", {}),
            ("referrals", {"referred": "1"}),
            ("interviews", {"reached": "interviewing"}),
            ("offers", {"reached": "offer"}),
        ):
            listed = drilldowns.opportunities(
                user, rng, {"channel": row.channel, "view": view, **params}
            )
            assert listed["credit_total"] == pytest.approx(getattr(row, name))
            ids = set(listed["queryset"].values_list("pk", flat=True))
            assert ids <= set(credited_to_channel(credit, row.channel))
            if name == "opportunities":
                assert ids == set(credited_to_channel(credit, row.channel))
    # People met: the set test the reports count with is the met_at definition the lists show.
    for start, end in ((rng.start, rng.end), (NOW - dt.timedelta(days=30), NOW)):
        counted = set(met_between(user, start, end).values_list("pk", flat=True))
        listed = with_met_at(Contact.objects.filter(owner=user), user)
        listed = listed.filter(met_at__gte=start, met_at__lt=end)
        assert counted == set(listed.values_list("pk", flat=True))
    # Another user's rows, even ones naming our contacts, never change a figure.
    other = factories.UserFactory()
    mine = Contact.objects.filter(owner=user).order_by("pk")
    theirs = _build(other, spec)
    Contact.objects.filter(pk__in=[p.pk for p in theirs]).update(introduced_by=mine[0])
    with time_machine.travel(NOW, tick=False):
        _, _, again = _snapshot(user, rng, view)
    assert again == rows


def test_how_this_is_counted_states_the_rules_the_code_uses(user, client_for):
    html = client_for(user).get("/insights/").content.decode()
    split = "keeps half of their share and passes half to whoever introduced them"
    assert attribution.PASS_UP == 0.5 and split in html
    assert f"(at most {attribution.MAX_CHAIN_DEPTH} steps)" in html
    assert f"counts {attribution.DEFAULT_MINUTES} minutes" in html
    assert f"{strength.WARM_SCORE} or more is warm, {strength.CLOSE_SCORE} or more close" in html
    assert f"full within {strength.RECENT_DAYS} days" in html
    assert f"conversations in the last {strength.FREQUENCY_DAYS} days" in html
    assert f"full at {strength.FULL_CONVERSATIONS};" in html
    assert f"full at {strength.FULL_MINUTES // 60} h" in html
