"""Paths to a referral: people at a target company ranked by strength, introducers up to two
hops through the introduction graph (cycles refused, never another user's contacts), and the
channels that brought warm contacts when there is no path. Runs on SQLite and, in CI's second
leg, on PostgreSQL (the recursive query is the same SQL on both)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.contacts.models import Contact, PastEmployment
from apps.followthrough.paths import introduction_walk, organization_links, paths_for
from tests import factories

pytestmark = pytest.mark.django_db
# The page's own queries plus seven for the paths (insiders, the walk, employment history,
# people on the company's opportunities, people, and strength's two): the same at 5 and 500
# contacts.
ORG_PAGE_QUERIES = 14


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
    assert by_name["Xavier"].reason == "introduced you to Ann"
    assert by_name["Wendy"].reason == "2 introductions from Ann"


def test_the_graph_is_walked_both_ways(user, acme):
    ann = _person(user, "Ann", acme)
    _person(user, "Bea", introduced_by=ann)  # Ann introduced you to Bea: Bea knows Ann
    found = paths_for(owner=user, organizations=[acme])[acme.pk]
    assert [i.contact.full_name for i in found.introducers] == ["Bea"]
    assert found.introducers[0].reason == "Ann introduced you to them"


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


# --- employment history ----------------------------------------------------------------------


def _worked(owner, contact, org, until=None):
    return PastEmployment.objects.create(
        owner=owner, contact=contact, organization=org, until=until
    )


def test_people_who_worked_there_before_can_introduce_and_say_until_when(user, acme):
    globex = factories.OrganizationFactory(owner=user, name="Globex")
    left = _person(user, "Lena", globex)
    _worked(user, left, acme, until=2023)
    undated = _person(user, "Uma")
    _worked(user, undated, acme)
    found = paths_for(owner=user, organizations=[acme])[acme.pk]
    reasons = {i.contact.full_name: i.reason for i in found.introducers}
    assert reasons == {"Lena": "worked there until 2023", "Uma": "worked there before"}
    # Someone who is back there now is one of the people there, not an introducer.
    _worked(user, _person(user, "Back again", acme), acme, until=2019)
    found = paths_for(owner=user, organizations=[acme])[acme.pk]
    assert "Back again" in [c.full_name for c, _ in found.insiders]
    assert "Back again" not in [i.contact.full_name for i in found.introducers]


def test_people_who_share_an_organization_with_someone_there_can_introduce(user, acme):
    initech = factories.OrganizationFactory(owner=user, name="Initech")
    hooli = factories.OrganizationFactory(owner=user, name="Hooli")
    dana = _person(user, "Dana", acme)
    _worked(user, dana, initech, until=2021)
    # Now at Initech, where Dana used to work.
    now_there = _person(user, "Ivo", initech)
    # Both used to work at Initech.
    also_past = _person(user, "Pia", hooli)
    _worked(user, also_past, initech, until=2018)
    _person(user, "Unrelated", hooli)
    found = paths_for(owner=user, organizations=[acme])[acme.pk]
    by_name = {i.contact.full_name: i for i in found.introducers}
    assert set(by_name) == {"Ivo", "Pia"}
    assert by_name["Ivo"].reason == "both at Initech with Dana"
    assert [c.full_name for c in by_name["Ivo"].chain] == ["Ivo", "Dana"]
    assert by_name["Pia"].contact == also_past and now_there.pk != also_past.pk


def test_an_organization_shared_with_the_company_itself_is_not_a_shared_organization(user, acme):
    # Two people at Acme share Acme: they are insiders, neither introduces the other.
    _person(user, "Ann", acme)
    _person(user, "Bea", acme)
    found = paths_for(owner=user, organizations=[acme])[acme.pk]
    assert found.introducers == []
    assert organization_links(owner=user, organization_ids=[acme.pk]) == []


def test_another_users_contacts_and_past_organizations_never_appear(user, other_user, acme):
    initech = factories.OrganizationFactory(owner=user, name="Initech")
    dana = _person(user, "Dana", acme)
    _worked(user, dana, initech)
    # Rows the app would never write: the other user's contacts and history linked to mine.
    theirs = _person(other_user, "Their alumna")
    _worked(other_user, theirs, acme, until=2022)
    _worked(other_user, _person(other_user, "Their colleague"), initech)
    Contact.objects.filter(pk=theirs.pk).update(organization=initech)
    their_initech = factories.OrganizationFactory(owner=other_user, name="Initech")
    _worked(other_user, _person(other_user, "Their Initech"), their_initech)
    # Their own row pointing at my contact.
    PastEmployment.objects.create(owner=other_user, contact=dana, organization=their_initech)
    found = paths_for(owner=user, organizations=[acme])[acme.pk]
    assert [c.full_name for c, _ in found.insiders] == ["Dana"]
    assert found.introducers == []
    assert organization_links(owner=other_user, organization_ids=[acme.pk]) == []


def test_archived_people_are_not_offered_as_introducers(user, acme):
    _worked(user, _person(user, "Gone", archived=True), acme, until=2020)
    found = paths_for(owner=user, organizations=[acme])[acme.pk]
    assert found.introducers == []


def test_the_organization_page_says_why_each_person_can_introduce(auth_client, user, acme):
    initech = factories.OrganizationFactory(owner=user, name="Initech")
    dana = _person(user, "Dana", acme)
    _worked(user, dana, initech)
    _person(user, "Ivo", initech)
    _worked(user, _person(user, "Lena"), acme, until=2023)
    _person(user, "Xavier", introduced_by=None)
    Contact.objects.filter(pk=dana.pk).update(introduced_by=Contact.objects.get(full_name="Xavier"))
    body = auth_client.get(f"/organizations/{acme.pk}/").content.decode()
    section = body.split('id="who-can-introduce"')[1].split("</section>")[0]
    assert "worked there until 2023" in section
    assert "both at Initech with Dana" in section
    assert "introduced you to Dana" in section


@pytest.mark.parametrize("size", [5, 500])
def test_the_organization_page_keeps_its_queries_with_employment_history(
    client_for, user, acme, size
):
    initech = factories.OrganizationFactory(owner=user, name="Initech")
    dana = _person(user, "Dana", acme)
    _worked(user, dana, initech)
    people = Contact.objects.bulk_create(
        Contact(owner=user, full_name=f"P{i}", organization=initech if i % 2 else None)
        for i in range(size)
    )
    PastEmployment.objects.bulk_create(
        PastEmployment(owner=user, contact=p, organization=acme, until=2000 + i % 20)
        for i, p in enumerate(people)
        if i % 3 == 0
    )
    client = client_for(user)
    url = f"/organizations/{acme.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
    assert "both at Initech" in body and "worked there until" in body
    assert len(queries) == ORG_PAGE_QUERIES
