"""Every figure on the Insights page, against values worked out by hand from the history.

See tests/insights/conftest.py for the rows; the comments below show the arithmetic.
"""

import pytest
import time_machine

from apps.insights.reports.companies import COMPANIES_SHOWN
from tests import factories
from tests.insights.conftest import NOW, build_history, read_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(history, client_for):
    def get(query=""):
        client = client_for(history.owner)
        with time_machine.travel(NOW, tick=False):
            response = client.get(f"/insights/{query}")
        assert response.status_code == 200
        return read_figures(response.content.decode())

    return get


def test_contacts_who_led_to_opportunities_with_chain_credit(figures, history):
    f = figures("?range=30d")
    # Ranked: offers, interviews, referrals, opportunities, introductions, then minutes
    # (Alice's 120 min beat Bob's 60 min on the last key).
    order = [k[1] for k in f if k[0] == "contacts-led" and k[2] == "who"]
    assert order == ["Carol", "Alice", "Bob", "Dan"]

    def row(name):
        keys = [
            "referrals",
            "introductions",
            "direct",
            "indirect",
            "interviews",
            "offers",
            "minutes",
        ]
        return [f[("contacts-led", name, k)] for k in keys]

    # Carol referred X1 (reached offer); one 20-minute LinkedIn message in range.
    assert row("Carol") == ["1", "0", "1", "0", "1", "1", "20 min"]
    # Alice introduced Bob (in range); origin of X1 (Alice → Bob → Carol) and X2 (Alice → Bob);
    # her own referral X4 was created before the range. 60 + 60 minutes of coffee.
    assert row("Alice") == ["0", "1", "0", "2", "1", "1", "120 min"]
    # Bob: insider on X2, introduced Carol, and credited for X1 through Bob → Carol.
    assert row("Bob") == ["0", "1", "1", "1", "1", "1", "60 min"]
    # Dan: recruiter on X3 (withdrawn); a like, a comment and a message: 5 + 10 + 45.
    assert row("Dan") == ["0", "0", "1", "0", "0", "0", "60 min"]
    alice = f[("contacts-led", "Alice", "who")]
    assert "Backend engineer at Initech — origin, through Alice → Bob → Carol" in alice
    assert "Platform engineer at Globex — origin, through Alice → Bob" in alice
    bob = f[("contacts-led", "Bob", "who")]
    assert "Insider ×1" in bob
    assert "origin, through Bob → Carol · reached offer" in bob


def test_channel_return_per_channel_and_per_hour(figures, history):
    f = figures("?range=30d")
    keys = [
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

    def row(channel):
        return [f[("channels", channel, k)] for k in keys]

    # Credit to people first. X1: Carol referred it; she was introduced by Bob, Bob by Alice:
    # Carol 0.5, Bob 0.25, Alice 0.25. X2: Bob (insider) 0.5, Alice 0.5. X3: Dan 1. X5 has
    # nobody on it: whole to its source, LinkedIn, with no relationship.
    # Then time-weighted to channels, by the time spent before each opportunity was created:
    # Carol's only earlier conversation is the 0-minute LinkedIn message (counts 15 min);
    # Alice's coffee on 1 March is in person; Bob had no time logged before X1 or X2, so his
    # share goes to how we met him (in person); Dan's like, comment and message are Twitter.
    order = [k[1] for k in f if k[0] == "channels" and k[2] == "minutes"]
    assert order == ["linkedin", "twitter", "in_person", "email", "event", "total"]
    # 20 min (+ the 0-minute referral ask on 28 Feb local). Carol's 0.5 of X1 (a referral that
    # reached an offer) + X5: 1.5 / (20 / 60 h) = 4.5 per hour; referrals 0.5 / ⅓ h = 1.5.
    assert row("linkedin") == [*["20 min", "2", "0", "1", "0.5", "1.5", "0.5", "0.5", "4.5", "1.5"]]
    assert f[("channels", "linkedin", "no_relationship")] == "1 with no relationship"
    # 5 + 10 + 45 + 15 (Eve, 00:00 local on day one) = 75 min; the 30 min at 23:59 the day
    # before is out. Like + comment are light touches. X3: 1 / 1.25 h = 0.8.
    assert row("twitter") == ["75 min", "2", "2", "1", "0", "1", "0", "0", "0.8", "0.0"]
    # Two coffees (Alice; Alice and Bob): 120 min. X1: 0.25 + 0.25, X2: 0.5 + 0.5 = 1.5 / 2 h.
    assert row("in_person") == [
        *["120 min", "2", "0", "2", "0.5", "1.5", "0.5", "0.5", "0.75", "0.25"]
    ]
    # The 10-minute call this morning counts; tomorrow's message does not.
    assert row("email") == ["10 min", "1", "0", "0", "0", "0", "0", "0", "0.0", "0.0"]
    # Heidi was met at an event this week, no time logged: no rate.
    assert row("event") == ["0 min", "0", "0", "1", "0", "0", "0", "0", "—", "—"]
    # The sum of the rows; 4 opportunities / (225 / 60 h) = 1.0666… → 1.07; 1 / 3.75 = 0.27.
    assert row("total") == ["225 min", "7", "2", "5", "1", "4", "1", "1", "1.07", "0.27"]


def test_pipeline_funnel_reached_conversion_median_and_losses(figures, history):
    f = figures("?range=30d")

    def row(stage):
        return [f[("funnel", stage, k)] for k in ("reached", "conversion", "median_days")]

    # Cohort: X1 (offer), X2 (applied → rejected), X3 (networking → withdrawn), X5 (identified).
    assert row("identified") == ["4", "—", "2.0 (3 stays)"]  # stays of 2, 4 and 2 days
    assert row("networking") == ["3", "75%", "4.0 (1 stay)"]  # X2 skipped it: passed through
    assert row("referred") == ["2", "66.7%", "1.0 (1 stay)"]
    assert row("applied") == ["2", "100%", "4.0 (2 stays)"]  # median of 3 and 5 days
    assert row("interviewing") == ["1", "50%", "7.0 (1 stay)"]
    assert row("offer") == ["1", "100%", "—"]  # X1 is still there: no finished stay
    assert row("accepted") == ["0", "0%", "—"]
    assert f[("funnel", "rejected-applied", "count")] == "1"
    assert f[("funnel", "withdrawn-networking", "count")] == "1"
    assert len([k for k in f if k[0] == "funnel" and k[2] == "count"]) == 2


def test_follow_through_share_overdue_and_weekly_trend(figures, history):
    f = figures("?range=30d")
    section = {k[2]: v for k, v in f.items() if k[0] == "follow-through" and k[1] is None}
    assert section.pop("promises") == "No promise was due in the range."
    # On time: f1 (done 23:30 local on its day, the next day in UTC), f2 (early), f10 (first
    # day of the range). Late: f3. Not done: f4. Due today: f5, f6. f7 is future, f8 before the
    # range, f9 canceled. Overdue now: f4, f5 (08:00 today) and f8.
    assert section == {
        "on_time_share": "60%",
        "on_time": "3",
        "late": "1",
        "missed": "1",
        "pending_today": "2",
        "overdue_now": "3",
    }
    weeks = {
        k[1]: [f[(k[0], k[1], n)] for n in ("on_time", "late", "missed", "share")]
        for k in f
        if k[0] == "follow-through" and k[1] and k[2] == "share"
    }
    assert weeks == {
        "2025-02-17": ["1", "0", "0", "100%"],
        "2025-02-24": ["0", "0", "0", "—"],
        "2025-03-03": ["0", "0", "0", "—"],
        "2025-03-10": ["2", "1", "1", "50%"],
        "2025-03-17": ["0", "0", "0", "—"],
    }


def test_give_and_ask_only_asking_and_going_cold(figures, history):
    f = figures("?range=30d")
    balance = [k[1] for k in f if k[0] == "give-ask" and k[2] == "gives"]
    assert balance == ["Alice", "Eve", "Carol", "Bob", "Dan"]
    gives_asks = {
        name: (f[("give-ask", name, "gives")], f[("give-ask", name, "asks")]) for name in balance
    }
    assert gives_asks == {
        "Alice": ("1", "1"),
        "Eve": ("1", "0"),
        "Carol": ("0", "2 (2 referral)"),
        "Bob": ("0", "1"),
        "Dan": ("0", "1 (1 referral)"),
    }
    assert f[("give-ask", "Alice", "last")] == "Gave: Intro to a designerAsked: Advice on Initech"
    assert f[("give-ask", None, "only_asks_total")] == "3"
    only = {k[1]: v for k, v in f.items() if k[0] == "give-ask" and k[2] == "only_asks"}
    assert list(only) == ["Carol", "Bob", "Dan"]
    assert only["Carol"] == "asked 2×, gave nothing"
    # Grace (warm, every 7 days) was never contacted; Dan's 14 days ran out on 18 March.
    # Carol's 14 days end at 15:00 UTC today, an hour from now: not cold yet.
    assert f[("give-ask", None, "going_cold_total")] == "2"
    cold = [k[1] for k in f if k[0] == "give-ask" and k[2] == "cadence"]
    assert cold == ["Grace", "Dan"]
    assert f[("give-ask", "Grace", "cadence")] == "every 7 days · never touched"
    assert f[("give-ask", "Dan", "cadence")] == "every 14 days · last touch 4 Mar 2025"


def test_target_companies_with_no_warm_contact_first(figures, history):
    f = figures("?range=30d")
    order = [k[1] for k in f if k[0] == "targets" and k[2] == "warm"]
    assert order == ["Globex", "Initech"]  # Acme is not a target
    assert f[("targets", None, "without_warm")] == "1 target company has no warm contact yet."
    assert f[("targets", "Globex", "warm")] == "0 of 1"
    assert f[("targets", "Globex", "people")].startswith("Frank cold")
    # Strength beside the warmth: this morning's 10-minute call, nothing else: 25 for recency,
    # 5 for one conversation, 0.5 for the minutes = 30 (round half to even), below warm (35).
    assert f[("targets", "Frank", "strength")] == "strength 30 · met once in 60 days"
    assert f[("targets", "Globex", "last_touch")] == "20 Mar 2025"
    assert f[("targets", "Globex", "open_opportunities")] == "0"  # X2 was rejected
    assert f[("targets", "Initech", "warm")] == "2 of 2"
    people = [k[1] for k in f if k[0] == "targets" and k[2] == "strength"]
    assert people == ["Frank", "Carol", "Grace"]  # Globex first, then Initech's, warmest first
    # Carol: 25 (14 days ago) + 10 (two messages) + 1 (20 min) + 0 (only asked) + 20 (X1).
    assert f[("targets", "Carol", "strength")] == (
        "strength 56 · met twice in 60 days, you only asked, referred you"
    )
    assert f[("targets", "Grace", "strength")] == "strength 0 · nothing logged yet"
    assert f[("targets", "Initech", "last_touch")] == "6 Mar 2025"
    assert f[("targets", "Initech", "open_opportunities")] == "1"  # X1, at offer


def test_weekly_targets_use_the_local_week(figures, history):
    f = figures()
    # Week of Monday 17 March: this morning's call and tomorrow's message (not likes).
    assert f[(None, "Conversations", "progress")] == "2 of 4"
    assert f[(None, "People met", "progress")] == "1 of 2"  # Heidi, added by hand on Tuesday
    # Referral asks are weekly like the others: 4 and 6 March are last weeks'.
    assert f[(None, "Referral asks", "progress")] == "0 of 2"
    # The last thing given was on 1 March.
    assert f[(None, "Things given", "progress")] == "0 of 1"


def test_ninety_days_include_what_thirty_days_leave_out(figures, history):
    f = figures("?range=90d")
    # X4 (10 Feb) and X6 (23:59:59 on 18 Feb local) join the cohort.
    assert f[("funnel", "identified", "reached")] == "6"
    assert f[("funnel", "interviewing", "reached")] == "2"
    # Alice now also referred X4, which reached interviewing.
    assert f[("contacts-led", "Alice", "referrals")] == "1"
    assert f[("contacts-led", "Alice", "interviews")] == "2"
    assert f[("channels", "twitter", "minutes")] == "105 min"


def test_custom_range_boundaries_are_local_midnights(figures, history):
    # One day: 19 February in New York runs from 05:00 UTC to 05:00 UTC the next day.
    f = figures("?range=custom&from=2025-02-19&to=2025-02-19")
    assert f[("channels", "twitter", "minutes")] == "15 min"  # not the 30 min at 23:59 before
    assert f[("channels", "total", "opportunities")] == "1"  # X5 at 00:00, not X6 at 23:59:59
    assert f[("follow-through", None, "on_time")] == "1"  # f10
    assert f[("channels", "total", "new_contacts")] == "0"  # Eve was added at 23:59 the day before


def test_an_invalid_custom_range_explains_itself_and_falls_back(history, client_for):
    client = client_for(history.owner)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/insights/?range=custom&from=2025-03-10&to=2025-03-01")
    assert response.status_code == 400
    html = response.content.decode()
    assert "The “from” day must be on or before the “to” day." in html
    assert 'value="2025-03-10"' in html  # what the user typed is kept
    assert read_figures(html)[("funnel", "identified", "reached")] == "6"  # default: 90 days


def test_other_users_rows_never_count(history, client_for, other_user):
    client = client_for(history.owner)
    with time_machine.travel(NOW, tick=False):
        before = client.get("/insights/?range=30d").content.decode()
        # The same history again for someone else, plus a contact of theirs that claims to have
        # been introduced by our Alice, on an opportunity of theirs.
        theirs = build_history(other_user)
        theirs.carol.introduced_by = history.alice
        theirs.carol.save()
        after = client.get("/insights/?range=30d").content.decode()
        other_page = client_for(other_user).get("/insights/?range=30d").content.decode()
    assert read_figures(after) == read_figures(before)
    # Their Carol now names our Alice as introducer: their own chain stops there, and our
    # Alice gets nothing from their X1. Their Alice keeps X2 (through their Bob).
    assert read_figures(other_page)[("contacts-led", "Alice", "indirect")] == "1"
    assert f"/contacts/{theirs.alice.pk}/" not in after


def test_the_htmx_request_gets_only_the_report(history, client_for):
    client = client_for(history.owner)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/insights/?range=30d", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="report"')
    assert "<html" not in html
    assert read_figures(html)[("funnel", "identified", "reached")] == "4"


def test_it_needs_a_login(client):
    response = client.get("/insights/")
    assert response.status_code == 302


def test_many_target_companies_list_those_without_a_warm_way_in_first(figures, history):
    from_cold = [
        factories.OrganizationFactory(owner=history.owner, name=f"Cold Co {i:02}", is_target=True)
        for i in range(COMPANIES_SHOWN + 2)
    ]
    f = figures("?range=30d")
    listed = [k[1] for k in f if k[0] == "targets" and k[2] == "warm"]
    # Globex and the new ones have no warm contact; Initech (warm) falls past the cap.
    assert len(listed) == COMPANIES_SHOWN
    assert "Initech" not in listed
    assert listed == sorted(listed)  # the same warm count: by name
    total = len(from_cold) + 2
    assert f[("targets", None, "without_warm")] == (
        f"{total - 1} target companies have no warm contact yet."
    )
    assert f[("targets", None, "targets_shown")] == (
        f"The {COMPANIES_SHOWN} of your {total} target companies with the fewest warm ways in."
        " See all target companies"
    )
