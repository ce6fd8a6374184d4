import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from apps.interactions import selectors
from tests import factories

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def suggestions(client, query, **extra):
    return client.get("/interactions/contact-suggestions/", {"q": query, **extra}).content.decode()


def test_suggestions_match_after_one_or_two_letters_and_offer_to_create(auth_client, user):
    alice = factories.ContactFactory(owner=user, full_name="Alice Martin")
    factories.ContactFactory(owner=user, full_name="Bob Stone")
    html = suggestions(auth_client, "al")
    assert f'data-pick-id="{alice.pk}"' in html and "Bob Stone" not in html
    assert "Create “al”" in html
    assert "Alice Martin" in suggestions(auth_client, "a")
    assert "Bob Stone" in suggestions(auth_client, "st")  # a later word matches too


def test_suggestions_put_names_starting_with_the_query_first(auth_client, user):
    factories.ContactFactory(owner=user, full_name="Jo Malik")
    factories.ContactFactory(owner=user, full_name="Malia Jones")
    html = suggestions(auth_client, "mal")
    assert html.index("Malia Jones") < html.index("Jo Malik")


def test_suggestions_only_show_the_owners_contacts(auth_client, other_user):
    factories.ContactFactory(owner=other_user, full_name="Alice Secret")
    html = suggestions(auth_client, "alice")
    assert "Alice Secret" not in html
    assert "Create “alice”" in html


def test_suggestions_skip_chosen_and_archived_contacts(auth_client, user):
    chosen = factories.ContactFactory(owner=user, full_name="Dana Chosen")
    factories.ContactFactory(owner=user, full_name="Dana Archived", archived=True)
    other = factories.ContactFactory(owner=user, full_name="Dana Other")
    html = suggestions(auth_client, "dana", contacts=[chosen.pk])
    assert f'data-pick-id="{other.pk}"' in html
    assert "Dana Chosen" not in html and "Dana Archived" not in html


def test_no_create_option_when_the_name_exists(auth_client, user):
    factories.ContactFactory(owner=user, full_name="Eve Adams")
    assert "Create" not in suggestions(auth_client, "eve adams")
    assert "Create" not in suggestions(auth_client, "Zed", new_contacts=["zed"])


def render_timeline(contact, user, query=""):
    request = RequestFactory().get(f"/contacts/{contact.pk}/{query}")
    request.user = user
    template = Template("{% load interaction_sections %}{% contact_interactions contact %}")
    return template.render(Context({"contact": contact, "request": request}))


def test_the_contact_timeline_shows_newest_first_and_paginates(user, contact, bulk_interactions):
    bulk_interactions(owner=user, contacts=[contact], count=12)
    html = render_timeline(contact, user)
    assert html.index("Chat 11") < html.index("Chat 10")
    assert "Chat 1<" not in html and "Page 1 of 2" in html
    assert f'href="/interactions/new/?contact={contact.pk}' in html and "data-quicklog-open" in html
    older = render_timeline(contact, user, "?ipage=2")
    assert "Chat 1<" in older and "Chat 11" not in older


def test_the_timeline_shows_only_this_contacts_interactions(user, contact, bulk_interactions):
    bob = factories.ContactFactory(owner=user)
    bulk_interactions(owner=user, contacts=[bob], count=2)
    html = render_timeline(contact, user)
    assert "No conversations logged yet" in html and "Chat 0" not in html


def test_the_timeline_endpoint_refreshes_the_section(auth_client, user, contact, other_user):
    factories.InteractionFactory(owner=user, contacts=[contact], summary="Met for lunch")
    response = auth_client.get(f"/interactions/contact/{contact.pk}/timeline/")
    assert response.status_code == 200 and "Met for lunch" in response.content.decode()
    theirs = factories.ContactFactory(owner=other_user)
    assert auth_client.get(f"/interactions/contact/{theirs.pk}/timeline/").status_code == 404


@pytest.mark.parametrize("count", [10, 1000])
def test_the_timeline_runs_a_fixed_number_of_queries(
    user, contact, bulk_interactions, django_assert_num_queries, count
):
    bob = factories.ContactFactory(owner=user)
    bulk_interactions(owner=user, contacts=[contact, bob], count=count)
    # count of the contact's interactions, the page, and the people on that page
    with django_assert_num_queries(3):
        html = render_timeline(contact, user)
    assert html.count('<li id="interaction-') == selectors.TIMELINE_PAGE_SIZE


@pytest.mark.parametrize("count", [10, 1000])
def test_the_list_runs_a_fixed_number_of_queries(
    client_for, user, contact, bulk_interactions, django_assert_num_queries, count
):
    bulk_interactions(owner=user, contacts=[contact], count=count)
    client = client_for(user)
    client.get("/interactions/")  # warm the session
    # session, user, nav badge, contact filter, totals, page count, page, people
    with django_assert_num_queries(8):
        response = client.get(f"/interactions/?channel=other&contact={contact.pk}&page=1")
    assert response.status_code == 200
    assert response.context["totals"]["count"] == count


def test_the_list_filters_and_totals_the_minutes(auth_client, user, contact):
    bob = factories.ContactFactory(owner=user, full_name="Bob Stone")
    now = timezone.now()
    factories.InteractionFactory(
        owner=user,
        contacts=[contact],
        channel="linkedin",
        kind="message",
        minutes=10,
        summary="DM",
        occurred_at=now,
    )
    factories.InteractionFactory(
        owner=user,
        contacts=[contact, bob],
        channel="in_person",
        kind="meeting",
        minutes=45,
        summary="Coffee",
        occurred_at=now,
        asked_referral=True,
    )
    factories.InteractionFactory(
        owner=user,
        contacts=[bob],
        channel="linkedin",
        kind="like",
        minutes=1,
        summary="Liked",
        occurred_at=now,
    )
    everything = auth_client.get("/interactions/").context
    assert everything["totals"]["minutes"] == 56
    assert everything["totals"]["referral_asks"] == 1
    assert everything["totals"]["light_touches"] == 1
    linkedin = auth_client.get("/interactions/?channel=linkedin").context["totals"]
    assert (linkedin["count"], linkedin["minutes"]) == (2, 11)
    meetings = auth_client.get("/interactions/?kind=meeting").context["totals"]
    assert meetings["minutes"] == 45
    with_bob = auth_client.get(f"/interactions/?contact={bob.pk}").context
    assert with_bob["totals"]["minutes"] == 46
    by_name = auth_client.get("/interactions/?q=stone").context["totals"]
    assert (by_name["count"], by_name["minutes"]) == (2, 46)


def test_the_date_filter_uses_the_users_local_days(client_for):
    user = factories.UserFactory(timezone="Asia/Tokyo")
    contact = factories.ContactFactory(owner=user)
    # 2025-03-01 23:30 in Tokyo is still 1 March there, but 14:30 UTC the same day.
    factories.InteractionFactory(
        owner=user,
        contacts=[contact],
        minutes=20,
        occurred_at=dt.datetime(2025, 3, 1, 14, 30, tzinfo=UTC),
    )
    # 2025-03-02 00:30 in Tokyo: the next local day, though still 1 March in UTC.
    factories.InteractionFactory(
        owner=user,
        contacts=[contact],
        minutes=5,
        occurred_at=dt.datetime(2025, 3, 1, 15, 30, tzinfo=UTC),
    )
    client = client_for(user)
    totals = client.get("/interactions/?date_from=2025-03-01&date_to=2025-03-01").context["totals"]
    assert (totals["count"], totals["minutes"]) == (1, 20)
    totals = client.get("/interactions/?date_from=2025-03-02").context["totals"]
    assert (totals["count"], totals["minutes"]) == (1, 5)


def test_the_list_shows_only_the_owners_interactions(auth_client, other_user):
    factories.InteractionFactory(
        owner=other_user,
        contacts=[factories.ContactFactory(owner=other_user)],
        summary="Their secret chat",
    )
    response = auth_client.get("/interactions/")
    assert "Their secret chat" not in response.content.decode()
    assert response.context["totals"]["count"] == 0


def test_a_reversed_date_range_is_reported(auth_client):
    response = auth_client.get("/interactions/?date_from=2025-03-05&date_to=2025-03-01")
    assert "The end date is before the start date." in response.content.decode()


def test_the_list_answers_htmx_with_the_results_only(auth_client, user, contact):
    factories.InteractionFactory(owner=user, contacts=[contact], summary="Hello there")
    response = auth_client.get("/interactions/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Hello there" in html and "<html" not in html
    assert 'id="interaction-results"' in html
