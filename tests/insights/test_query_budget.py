"""The page runs the same, fixed number of queries whatever the amount of data."""

import pytest
import time_machine
from django.db import connection

from apps.insights.reports.targets import weekly_targets
from tests.insights.conftest import NOW
from tests.insights.generate import populate

pytestmark = pytest.mark.django_db

# Session and user (2), the navigation badge (1), then Insights: the attribution model (4 when
# time-weighted: cohort, people, introduction chains, their interactions; 3 in first touch),
# contacts who led (3: introductions, minutes, names), channels (2), funnel (3),
# follow-through (2), give and ask (3), give before ask (2), target companies (2) and who can
# introduce at them (7, employment history included), weekly targets (1), and strength (4,
# below).
PAGE_QUERIES = {"": 35, "&view=time": 35, "&view=first": 34}
# The strength beside each person: two queries each for contacts who led and target companies.
# On PostgreSQL the page also turns JIT off for its transaction (SET LOCAL jit).
JIT_OFF = 1 if connection.vendor == "postgresql" else 0


@pytest.mark.parametrize("size", [1, 12])
def test_the_page_query_count_does_not_grow_with_data(
    history, client_for, django_assert_num_queries, size
):
    populate(
        history.owner,
        contacts=10 * size,
        interactions=40 * size,
        opportunities=5 * size,
        now=NOW,
        seed=size,
    )
    client = client_for(history.owner)
    with time_machine.travel(NOW, tick=False):
        for query in ("?range=30d", "?range=all"):
            for view, budget in PAGE_QUERIES.items():
                with django_assert_num_queries(budget + JIT_OFF):
                    response = client.get(f"/insights/{query}{view}")
                assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 10])
def test_weekly_targets_take_one_query(ny_user, django_assert_num_queries, size):
    populate(
        ny_user,
        contacts=10 * size,
        interactions=30 * size,
        opportunities=2 * size,
        now=NOW,
        seed=size,
    )
    with time_machine.travel(NOW, tick=False), django_assert_num_queries(1):
        weekly_targets(ny_user)


@pytest.mark.parametrize("size", [1, 10])
def test_drilldowns_run_a_fixed_number_of_queries(
    history, client_for, django_assert_num_queries, size
):
    populate(
        history.owner,
        contacts=10 * size,
        interactions=40 * size,
        opportunities=5 * size,
        now=NOW,
        seed=size,
    )
    client = client_for(history.owner)
    budgets = {
        # session, user, badge, count, page (+ for a contact, the attribution model's three:
        # the cohort, the people on it, their introduction tree)
        "/insights/opportunities/?range=all&reached=applied": 5,
        f"/insights/opportunities/?range=all&contact={history.alice.pk}": 9,
        # + the contacts of the listed interactions, prefetched in one query
        "/insights/interactions/?range=all&channel=twitter": 6,
        # + the strength of the listed people (2)
        "/insights/contacts/?range=all": 7,
        "/insights/follow-ups/?range=all&outcome=late": 5,
    }
    with time_machine.travel(NOW, tick=False):
        for url, budget in budgets.items():
            with django_assert_num_queries(budget):
                assert client.get(url).status_code == 200


def test_the_page_sends_no_template_indentation(history, client_for):
    with time_machine.travel(NOW, tick=False):
        html = client_for(history.owner).get("/insights/?range=all").content.decode()
    assert "\n  " not in html
    assert "<pre" not in html and "<textarea" not in html  # where spaces would matter
