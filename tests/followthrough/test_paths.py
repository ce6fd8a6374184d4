"""Paths to a referral: people at a target company ranked by strength, introducers up to two
hops through the introduction graph (cycles refused, never another user's contacts), and the
channels that brought warm contacts when there is no path. Runs on SQLite and, in CI's second
leg, on PostgreSQL (the recursive query is the same SQL on both)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.contacts.models import Contact
from apps.followthrough.paths import introduction_walk, paths_for
from tests import factories

pytestmark = pytest.mark.django_db
# The page's own queries plus five for the paths (insiders, the walk, alumni, people, and
# strength's two): the same at 5 and 500 contacts.
ORG_PAGE_QUERIES = 13


def _person(owner, name, org=None, introduced_by=None, **kwargs):
    return Contact.objects.create(
        owner=owner, full_name=name, organization=org, introduced_by=introduced_by, **kwargs
    )


@pytest.fixture
def acme(user):
    return factories.OrganizationFactory(owner=user, name="Acme", is_target=True)


def test_people_there_are_ranked_by_relationship_strength(user, acme):
    quiet = _person(user, "Quiet Quinn", acme)
    close = _person(user, "Close Casey", acme)
    for _ in range(3):
        factories.InteractionFactory(owner=user, contacts=[close], gave="Notes", minutes=60)
    found = paths_for(owner=user, organizations=[acme])[acme.pk]
    assert [c for c, _ in found.insiders] == [close, quiet]
    assert found.insiders[0][1].score > found.insiders[1][1].score


def test_introducers_up_to_two_hops_with_their_chain(user, acme):
    # Wendy introduced you to Xavier, Xavier introduced you to Ann who works at Acme;
    # Zed was introduced by Wendy: three hops from Ann, too far.
    wendy = _person(user, "Wendy")
    xavier = _person(user, "Xavier", introduced_by=wendy)
    _person(user, "Ann", acme, introduced_by=xavier)
    _person(user, "Zed", introduced_by=wendy)
    found = paths_for(owner=user, organizations=[acme])[acme.pk]
    by_name = {i.contact.full_name: i for i in found.introducers}
    assert set(by_name) == {"Xavier", "Wendy"}
    assert by_name["Xavier"].hops == 1 and by_name["Wendy"].hops == 2
    assert [c.full_name for c in by_name["Wendy"].chain] == ["Wendy", "Xavier", "Ann"]


def test_the_graph_is_walked_both_ways(user, acme):
    ann = _person(user, "Ann", acme)
    _person(user, "Bea", introduced_by=ann)  # Ann introduced you to Bea: Bea knows Ann
    found = paths_for(owner=user, organizations=[acme])[acme.pk]
    assert [i.contact.full_name for i in found.introducers] == ["Bea"]


def test_cycles_are_refused_and_the_walk_ends(user, acme):
    a = _person(user, "A", acme)
    b = _person(user, "B", introduced_by=a)
    c = _person(user, "C", introduced_by=b)
    # A loop: A was introduced by C.
    Contact.objects.filter(pk=a.pk).update(introduced_by=c)
    rows = introduction_walk(owner=user, organization_ids=[acme.pk])
    for _, _, _, path in rows:
        ids = path.split(",")
        assert len(ids) == len(set(ids)), path
    assert max(hops for _, _, hops, _ in rows) <= 2
    assert {contact for _, contact, _, _ in rows} == {b.pk, c.pk}


def test_another_users_contacts_never_appear(user, other_user, acme):
    ann = _person(user, "Ann", acme)
    # Rows the app would never write: another user's contacts linked to mine.
    stranger = _person(other_user, "Stranger")
    Contact.objects.filter(pk=ann.pk).update(introduced_by=stranger)
    _person(other_user, "Their friend", introduced_by=ann)
    their_acme = factories.OrganizationFactory(owner=other_user, name="Acme")
    _person(other_user, "Their insider", their_acme)
    found = paths_for(owner=user, organizations=[acme])[acme.pk]
    assert [c.full_name for c, _ in found.insiders] == ["Ann"]
    assert found.introducers == []
    assert introduction_walk(owner=user, organization_ids=[their_acme.pk]) == []


def test_people_who_worked_with_the_company_on_an_opportunity_can_introduce(user, acme):
    elsewhere = factories.OrganizationFactory(owner=user, name="Elsewhere")
    recruiter = _person(user, "Rita", elsewhere)
    opportunity = factories.OpportunityFactory(owner=user, organization=acme)
    factories.OpportunityContactFactory(
        opportunity=opportunity, contact=recruiter, role="recruiter"
    )
    found = paths_for(owner=user, organizations=[acme])[acme.pk]
    [rita] = found.introducers
    assert rita.contact == recruiter and "worked with Acme (as recruiter)" in rita.reason


def test_without_a_path_the_channels_of_warm_contacts_are_shown(user, acme):
    _person(user, "Met at meetup", warmth="warm", channel="event")
    _person(user, "Another", warmth="close", channel="event")
    _person(user, "Cold one", warmth="cold", channel="linkedin")
    found = paths_for(owner=user, organizations=[acme])[acme.pk]
    assert not found.has_path
    assert found.warm_channels == [("Event / meetup", 2)]


@pytest.mark.parametrize("size", [5, 500])
def test_the_organization_page_runs_a_fixed_number_of_queries(client_for, user, acme, size):
    hub = _person(user, "Hub")
    Contact.objects.bulk_create(
        Contact(
            owner=user,
            full_name=f"P{i}",
            organization=acme if i % 5 == 0 else None,
            introduced_by=hub,
        )
        for i in range(size)
    )
    client = client_for(user)
    url = f"/organizations/{acme.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
    assert "Who can introduce me" in body and "Hub" in body
    assert len(queries) == ORG_PAGE_QUERIES


def test_insights_target_companies_say_who_can_introduce(auth_client, user, acme):
    ann = _person(user, "Ann", acme)
    _person(user, "Bea", introduced_by=ann)
    factories.OrganizationFactory(owner=user, name="Globex", is_target=True)
    body = auth_client.get("/insights/").content.decode()
    ways = body.split('id="ways-in"')[1].split("</div>")[0]
    assert "ask <a" in ways and "Ann" in ways and "1 could introduce you" in ways
    assert "Globex</a>:" in ways and "no path yet" in ways
