"""Each figure links to the exact rows behind it."""

import re

import pytest
import time_machine
from django.utils import timezone

from apps.insights.ranges import build_range
from apps.insights.reports import follow_through
from tests.insights.conftest import NOW

pytestmark = pytest.mark.django_db

FIGURE_LINK = re.compile(r'data-figure="(\w+)"><a href="(/insights/[^"]+)">([\d.]+)</a>')
ROW_COUNT = re.compile(r"· (\d+) rows?</p>")
# A credited figure (a share of opportunities) is the sum of the shares its list shows.
CREDIT = re.compile(r"· \d+ rows? · credit ([\d.]+)</p>")


def _get(client, url):
    with time_machine.travel(NOW, tick=False):
        return client.get(url.replace("&amp;", "&"))


@pytest.mark.parametrize("preset", ["30d", "90d", "all"])
def test_every_linked_figure_counts_the_rows_it_links_to(history, client_for, preset):
    client = client_for(history.owner)
    page = _get(client, f"/insights/?range={preset}").content.decode()
    links = FIGURE_LINK.findall(page)
    assert len(links) > 60
    for figure, url, shown in links:
        listing = _get(client, url)
        assert listing.status_code == 200, url
        html = listing.content.decode()
        rows = CREDIT.search(html) or ROW_COUNT.search(html)
        assert rows and rows.group(1) == shown, (figure, url, shown)


def test_offers_list_the_opportunities_counted(history, client_for):
    html = _get(client_for(history.owner), "/insights/opportunities/?range=30d&reached=offer")
    html = html.content.decode()
    assert f'href="/opportunities/{history.x1.pk}/"' in html
    assert "Opportunities reached offer" in html
    assert html.count("data-opportunity=") == 1


def test_chain_credit_is_explained_on_the_contact_list(history, client_for):
    url = f"/insights/opportunities/?range=30d&contact={history.alice.pk}&role=indirect"
    html = _get(client_for(history.owner), url).content.decode()
    assert "credited to Alice through introductions" in html
    assert "origin, through Alice → Bob → Carol" in html
    assert "origin, through Alice → Bob" in html
    assert html.count("data-opportunity=") == 2


def test_follow_ups_on_time_are_judged_by_the_local_day(history, client_for):
    html = _get(client_for(history.owner), "/insights/follow-ups/?range=30d&outcome=on_time")
    html = html.content.decode()
    ids = set(map(int, re.findall(r'data-followup="(\d+)"', html)))
    assert ids == {history.f1.pk, history.f2.pk, history.f10.pk}


def _follow_through_and_listings(history, preset):
    with time_machine.travel(NOW, tick=False):
        rng = build_range(preset=preset, zone=history.owner.zone)
        figures = follow_through.follow_through(history.owner, rng)
        listed = {
            outcome: {
                f.pk
                for f in follow_through.drilldown(
                    history.owner, rng, {"outcome": outcome}, now=timezone.now()
                )["queryset"]
            }
            for outcome in [*follow_through.OUTCOMES, "in_range"]
        }
    return figures, listed


def test_follow_through_figures_and_their_lists_hold_the_same_follow_ups(history):
    figures, listed = _follow_through_and_listings(history, "30d")
    h = history
    assert listed["on_time"] == {h.f1.pk, h.f2.pk, h.f10.pk}
    assert listed["late"] == {h.f3.pk}
    assert listed["missed"] == {h.f4.pk}
    assert listed["pending"] == {h.f5.pk, h.f6.pk}  # due today: not missed yet
    assert listed["overdue"] == {h.f4.pk, h.f5.pk, h.f8.pk}  # any day, the canceled f9 never
    assert (figures["on_time"], figures["late"], figures["missed"]) == (3, 1, 1)
    assert (figures["pending_today"], figures["overdue_now"]) == (2, 3)


@pytest.mark.parametrize("preset", ["30d", "90d", "year", "all"])
def test_every_follow_up_in_the_range_is_listed_under_exactly_one_counted_outcome(history, preset):
    figures, listed = _follow_through_and_listings(history, preset)
    for outcome, figure in [
        ("on_time", "on_time"),
        ("late", "late"),
        ("missed", "missed"),
        ("pending", "pending_today"),
        ("overdue", "overdue_now"),
    ]:
        assert len(listed[outcome]) == figures[figure], outcome
    parts = [listed[o] for o in ("on_time", "late", "missed", "pending")]
    assert sum(map(len, parts)) == len(set().union(*parts)) == len(listed["in_range"])
    assert set().union(*parts) == listed["in_range"]


@pytest.mark.parametrize(
    "path",
    [
        "/insights/opportunities/?contact={id}",
        "/insights/interactions/?contact={id}",
        "/insights/contacts/?introduced_by={id}",
    ],
)
def test_it_refuses_another_users_contact(history, client_for, other_user, path):
    from tests import factories

    theirs = factories.ContactFactory(owner=other_user)
    response = _get(client_for(history.owner), path.format(id=theirs.pk))
    assert response.status_code == 404


def test_drilldowns_never_list_another_users_rows(history, client_for, other_user):
    from tests.insights.conftest import build_history

    build_history(other_user)
    client = client_for(history.owner)
    for url, marker, expected in [
        ("/insights/opportunities/?range=all", "data-opportunity=", 6),
        # "All time" ends tonight at local midnight: tomorrow's 00:00 message is not in it.
        ("/insights/interactions/?range=all", "data-interaction=", 10),
        ("/insights/contacts/?range=all", "data-contact=", 9),
        ("/insights/follow-ups/?range=all", "data-followup=", 8),
    ]:
        html = _get(client, url).content.decode()
        assert html.count(marker) == expected, url


def test_weekly_targets_render_on_the_page_with_progress_bars(history, client_for):
    html = _get(client_for(history.owner), "/insights/").content.decode()
    assert 'role="progressbar"' in html
    assert 'aria-valuenow="2" aria-valuetext="2 of 4"' in html
    assert 'style="width: 50%"' in html  # 2 of 4 conversations
