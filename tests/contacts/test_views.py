import datetime as dt

import pytest
from django.utils import timezone

from apps.contacts.models import Contact, Organization
from tests import factories
from tests.contacts.conftest import post

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_creating_a_contact_with_a_new_organization_typed_in(auth_client, user, csrf):
    token = csrf(auth_client, "/contacts/new/")
    response = post(
        auth_client,
        "/contacts/new/",
        {
            "full_name": "  Grace   Hopper ",
            "organization_name": "Navy Labs",
            "email": "grace@example.com",
            "linkedin_url": "uk.linkedin.com/in/Grace-Hopper/?trk=x",
            "channel": "event",
            "warmth": "warm",
            "cadence_days": "30",
            "tags_text": "mentor, compilers",
        },
        token,
    )
    contact = Contact.objects.owned_by(user).get()
    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{contact.pk}/"
    assert contact.full_name == "Grace Hopper"
    assert contact.organization.name == "Navy Labs"
    assert contact.linkedin_url == "https://www.linkedin.com/in/grace-hopper"
    assert sorted(contact.tags.values_list("name", flat=True)) == ["compilers", "mentor"]


def test_an_existing_organization_is_matched_ignoring_case(auth_client, user, csrf):
    acme = Organization.objects.create(owner=user, name="Acme")
    token = csrf(auth_client, "/contacts/new/")
    post(
        auth_client,
        "/contacts/new/",
        {"full_name": "Bob", "organization_name": "ACME", "channel": "other", "warmth": "cold"},
        token,
    )
    assert Contact.objects.owned_by(user).get().organization == acme
    assert Organization.objects.owned_by(user).count() == 1


def test_an_invalid_form_answers_400_and_keeps_what_was_typed(auth_client, csrf):
    token = csrf(auth_client, "/contacts/new/")
    response = post(
        auth_client,
        "/contacts/new/",
        {"full_name": "", "title": "Staff engineer", "email": "nope", "warmth": "cold"},
        token,
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required." in body
    assert "Enter a valid email address." in body
    assert 'value="Staff engineer"' in body
    assert Contact.objects.count() == 0


def test_htmx_gets_only_the_form_back_with_its_errors(auth_client, csrf):
    token = csrf(auth_client, "/contacts/new/")
    response = post(
        auth_client, "/contacts/new/", {"full_name": "", "warmth": "cold"}, token, **HTMX
    )
    # 400 like a plain post: base.html's htmx config swaps 400s into the form's place.
    assert response.status_code == 400
    body = response.content.decode()
    assert body.lstrip().startswith('<form id="contact-form"')
    assert "This field is required." in body
    assert "<html" not in body


def test_htmx_success_redirects_the_whole_page(auth_client, user, csrf):
    token = csrf(auth_client, "/contacts/new/")
    response = post(
        auth_client,
        "/contacts/new/",
        {"full_name": "Ada", "channel": "other", "warmth": "cold"},
        token,
        **HTMX,
    )
    contact = Contact.objects.owned_by(user).get()
    assert response["HX-Redirect"] == f"/contacts/{contact.pk}/"


@pytest.mark.parametrize(
    ("field", "typed"),
    [("email", "ADA@example.com"), ("linkedin_url", "http://m.linkedin.com/in/Ada/")],
)
def test_a_duplicate_points_to_the_existing_contact(auth_client, user, csrf, field, typed):
    existing = factories.ContactFactory(
        owner=user, email="ada@example.com", linkedin_url="https://www.linkedin.com/in/ada"
    )
    token = csrf(auth_client, "/contacts/new/")
    response = post(
        auth_client,
        "/contacts/new/",
        {"full_name": "Ada again", field: typed, "channel": "other", "warmth": "cold"},
        token,
    )
    assert response.status_code == 400
    assert f'<a href="/contacts/{existing.pk}/">{existing.full_name}</a>' in (
        response.content.decode()
    )
    assert Contact.objects.owned_by(user).count() == 1


def test_editing_to_another_contacts_email_points_to_them(auth_client, user, csrf):
    ada = factories.ContactFactory(owner=user, email="ada@example.com")
    bob = factories.ContactFactory(owner=user, full_name="Bob")
    token = csrf(auth_client, f"/contacts/{bob.pk}/edit/")
    response = post(
        auth_client,
        f"/contacts/{bob.pk}/edit/",
        {"full_name": "Bob", "email": "Ada@Example.com", "channel": "other", "warmth": "cold"},
        token,
    )
    assert response.status_code == 400
    assert f'href="/contacts/{ada.pk}/"' in response.content.decode()


def test_an_introduction_loop_is_refused_on_the_form(auth_client, user, csrf):
    a = factories.ContactFactory(owner=user, full_name="Alice")
    b = factories.ContactFactory(owner=user, full_name="Bea", introduced_by=a)
    token = csrf(auth_client, f"/contacts/{a.pk}/edit/")
    response = post(
        auth_client,
        f"/contacts/{a.pk}/edit/",
        {"full_name": "Alice", "introduced_by": b.pk, "channel": "other", "warmth": "cold"},
        token,
    )
    assert response.status_code == 400
    assert "cannot have been introduced by them" in response.content.decode()
    a.refresh_from_db()
    assert a.introduced_by is None


def test_too_long_input_is_refused_with_the_limit(auth_client, csrf):
    token = csrf(auth_client, "/contacts/new/")
    response = post(
        auth_client,
        "/contacts/new/",
        {"full_name": "x" * 201, "notes": "n" * 20_001, "channel": "other", "warmth": "cold"},
        token,
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "at most 200 characters (it has 201)" in body
    assert "at most 20000 characters (it has 20001)" in body


def test_a_non_linkedin_address_is_refused(auth_client, csrf):
    token = csrf(auth_client, "/contacts/new/")
    response = post(
        auth_client,
        "/contacts/new/",
        {"full_name": "Ada", "linkedin_url": "https://example.com/ada", "warmth": "cold"},
        token,
    )
    assert response.status_code == 400
    assert "Enter a LinkedIn profile address" in response.content.decode()


def test_editing_saves_and_keeps_tags_and_organization(auth_client, user, csrf):
    contact = factories.ContactFactory(owner=user, full_name="Ada")
    contact.tags.add(factories.TagFactory(owner=user, name="python"))
    token = csrf(auth_client, f"/contacts/{contact.pk}/edit/")
    page = auth_client.get(f"/contacts/{contact.pk}/edit/").content.decode()
    assert f'value="{contact.organization.name}"' in page
    assert 'value="python"' in page
    response = post(
        auth_client,
        f"/contacts/{contact.pk}/edit/",
        {
            "full_name": "Ada Lovelace",
            "organization_name": contact.organization.name,
            "tags_text": "python",
            "channel": "other",
            "warmth": "close",
        },
        token,
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.full_name, contact.warmth) == ("Ada Lovelace", "close")
    assert list(contact.tags.values_list("name", flat=True)) == ["python"]


def test_archive_and_unarchive(auth_client, user, csrf):
    contact = factories.ContactFactory(owner=user)
    token = csrf(auth_client, f"/contacts/{contact.pk}/")
    post(auth_client, f"/contacts/{contact.pk}/archive/", {"archived": "1"}, token)
    contact.refresh_from_db()
    assert contact.archived
    assert _names(auth_client.get("/contacts/")) == []
    assert _names(auth_client.get("/contacts/?archived=archived")) == [contact.full_name]
    post(auth_client, f"/contacts/{contact.pk}/archive/", {"archived": "0"}, token)
    contact.refresh_from_db()
    assert not contact.archived


def test_archive_answers_only_to_post(auth_client, user):
    contact = factories.ContactFactory(owner=user)
    assert auth_client.get(f"/contacts/{contact.pk}/archive/").status_code == 405


def test_delete_asks_first_then_deletes_on_post(auth_client, user, csrf):
    contact = factories.ContactFactory(owner=user, full_name="Ada")
    factories.FollowUpFactory(owner=user, contact=contact)
    page = auth_client.get(f"/contacts/{contact.pk}/delete/")
    assert page.status_code == 200
    assert "1 follow-up with them will be deleted" in page.content.decode()
    assert Contact.objects.filter(pk=contact.pk).exists()
    token = csrf(auth_client, f"/contacts/{contact.pk}/delete/")
    response = post(auth_client, f"/contacts/{contact.pk}/delete/", {}, token)
    assert response.status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_merge_page_finds_the_duplicate_and_merges_into_the_chosen_survivor(
    auth_client, user, csrf
):
    ada = factories.ContactFactory(owner=user, full_name="Ada Lovelace")
    dup = factories.ContactFactory(owner=user, full_name="Ada L", email="ada@example.com")
    search = auth_client.get(f"/contacts/{ada.pk}/merge/?q=ada").content.decode()
    assert f"?other={dup.pk}" in search
    confirm = auth_client.get(f"/contacts/{ada.pk}/merge/?other={dup.pk}")
    assert "Keep Ada L" in confirm.content.decode()
    token = csrf(auth_client, f"/contacts/{ada.pk}/merge/")
    response = post(
        auth_client, f"/contacts/{ada.pk}/merge/", {"other": dup.pk, "survivor": "other"}, token
    )
    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{dup.pk}/"
    assert not Contact.objects.filter(pk=ada.pk).exists()


def test_tags_are_added_and_removed_inline_with_htmx(auth_client, user, csrf):
    contact = factories.ContactFactory(owner=user)
    token = csrf(auth_client, f"/contacts/{contact.pk}/")
    response = post(auth_client, f"/contacts/{contact.pk}/tags/", {"name": "Mentor"}, token, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="contact-tags">')
    assert "Mentor" in body
    tag = contact.tags.get()
    response = post(auth_client, f"/contacts/{contact.pk}/tags/{tag.pk}/remove/", {}, token, **HTMX)
    assert response.status_code == 200
    assert "No tags yet." in response.content.decode()
    assert contact.tags.count() == 0


def test_adding_a_tag_without_javascript_comes_back_to_the_profile(auth_client, user, csrf):
    contact = factories.ContactFactory(owner=user)
    token = csrf(auth_client, f"/contacts/{contact.pk}/")
    response = post(auth_client, f"/contacts/{contact.pk}/tags/", {"name": "vip"}, token)
    assert response.status_code == 302
    assert contact.tags.get().name == "vip"
    too_long = post(auth_client, f"/contacts/{contact.pk}/tags/", {"name": "x" * 51}, token)
    assert too_long.status_code == 400
    assert "at most 50 characters" in too_long.content.decode()


def test_profile_shows_introductions_both_ways(auth_client, user):
    alice = factories.ContactFactory(owner=user, full_name="Alice Intro")
    bea = factories.ContactFactory(owner=user, full_name="Bea Middle", introduced_by=alice)
    factories.ContactFactory(owner=user, full_name="Cid Later", introduced_by=bea)
    body = auth_client.get(f"/contacts/{bea.pk}/").content.decode()
    assert "Introduced by" in body and "Alice Intro" in body
    assert "Introduced you to" in body and "Cid Later" in body
    assert 'id="contact-interactions"' in body


def _names(response):
    return [c.full_name for c in response.context["page"].object_list]


def test_search_matches_name_company_title_email_tags_and_notes(auth_client, user):
    acme = factories.OrganizationFactory(owner=user, name="Acme Rockets")
    factories.ContactFactory(owner=user, full_name="By Company", organization=acme)
    factories.ContactFactory(owner=user, full_name="By Title", title="Rocketry lead")
    factories.ContactFactory(owner=user, full_name="By Email", email="zed@rocket.example")
    factories.ContactFactory(owner=user, full_name="By Notes", notes="talked about ROCKETS")
    tagged = factories.ContactFactory(owner=user, full_name="By Tag")
    tagged.tags.add(factories.TagFactory(owner=user, name="rocketeer"))
    factories.ContactFactory(owner=user, full_name="Unrelated")
    factories.ContactFactory(owner=factories.UserFactory(), full_name="Rocket Stranger")
    response = auth_client.get("/contacts/?q=rocket")
    assert sorted(_names(response)) == ["By Company", "By Email", "By Notes", "By Tag", "By Title"]
    assert _names(auth_client.get("/contacts/?q=rocket+lead")) == ["By Title"]


def test_htmx_search_swaps_only_the_results(auth_client, user):
    factories.ContactFactory(owner=user, full_name="Ada")
    response = auth_client.get("/contacts/?q=ad", **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="contact-results"')
    assert "contact-filters" not in body
    assert response["Vary"].count("HX-Request") == 1
    assert 'href="/export/contacts.csv?q=ad"' in body


def test_list_page_links_the_csv_export_of_the_current_view(auth_client, user):
    body = auth_client.get("/contacts/?q=ada&warmth=warm&page=2").content.decode()
    assert 'href="/export/contacts.csv?q=ada&amp;warmth=warm"' in body
    assert "data-search" in body


def test_filters_and_sorting(auth_client, user):
    now = timezone.now()
    target = factories.OrganizationFactory(owner=user, is_target=True)
    tag = factories.TagFactory(owner=user)
    a = factories.ContactFactory(owner=user, full_name="Anna", organization=target, warmth="warm")
    b = factories.ContactFactory(owner=user, full_name="Ben", channel="event", cadence_days=7)
    c = factories.ContactFactory(owner=user, full_name="Cleo", cadence_days=30)
    a.tags.add(tag)
    Contact.objects.filter(pk=a.pk).update(last_interaction_at=now - dt.timedelta(days=1))
    Contact.objects.filter(pk=b.pk).update(last_interaction_at=now - dt.timedelta(days=10))
    Contact.objects.filter(pk=c.pk).update(created_at=now - dt.timedelta(days=5))
    factories.ContactFactory(owner=user, full_name="Dora", archived=True)

    def names(query):
        return _names(auth_client.get("/contacts/?" + query))

    assert names("") == ["Anna", "Ben", "Cleo"]
    assert names("sort=-name") == ["Cleo", "Ben", "Anna"]
    assert names("sort=-last") == ["Anna", "Ben", "Cleo"]
    assert names("sort=last") == ["Cleo", "Ben", "Anna"]
    assert names("sort=created") == ["Cleo", "Anna", "Ben"]
    assert names(f"tag={tag.pk}") == ["Anna"]
    assert names(f"organization={target.pk}") == ["Anna"]
    assert names("target=on") == ["Anna"]
    assert names("channel=event") == ["Ben"]
    assert names("warmth=warm") == ["Anna"]
    assert names("going_cold=on") == ["Ben"]
    assert names("archived=archived") == ["Dora"]
    assert names("archived=all") == ["Anna", "Ben", "Cleo", "Dora"]
    assert names("sort=bogus") == ["Anna", "Ben", "Cleo"]


def test_a_contact_never_contacted_goes_cold_from_when_it_was_added(auth_client, user):
    fresh = factories.ContactFactory(owner=user, full_name="Fresh", cadence_days=7)
    old = factories.ContactFactory(owner=user, full_name="Old", cadence_days=7)
    Contact.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    assert fresh.pk
    assert _names(auth_client.get("/contacts/?going_cold=on")) == ["Old"]


def test_pagination_and_count(auth_client, user):
    for n in range(30):
        factories.ContactFactory(owner=user, full_name=f"Person {n:02d}")
    first = auth_client.get("/contacts/")
    assert "30 contacts" in first.content.decode()
    assert len(_names(first)) == 25
    second = auth_client.get("/contacts/?page=2")
    assert _names(second) == [f"Person {n}" for n in range(25, 30)]


def test_organization_pages(auth_client, user, csrf):
    token = csrf(auth_client, "/organizations/new/")
    response = post(
        auth_client,
        "/organizations/new/",
        {"name": "Initech", "website": "https://initech.example", "is_target": "on"},
        token,
    )
    org = Organization.objects.owned_by(user).get()
    assert response["Location"] == f"/organizations/{org.pk}/"
    assert org.is_target
    factories.ContactFactory(owner=user, full_name="Peter Gibbons", organization=org)
    assert "Peter Gibbons" in auth_client.get(f"/organizations/{org.pk}/").content.decode()
    listing = auth_client.get("/organizations/?target=1").content.decode()
    assert "Initech" in listing
    duplicate = post(auth_client, "/organizations/new/", {"name": "INITECH"}, token)
    assert duplicate.status_code == 400
    assert f'href="/organizations/{org.pk}/"' in duplicate.content.decode()
    post(auth_client, f"/organizations/{org.pk}/edit/", {"name": "Initech Inc", "notes": ""}, token)
    org.refresh_from_db()
    assert (org.name, org.is_target) == ("Initech Inc", False)


def test_a_future_connection_date_is_refused_with_a_message(auth_client, csrf):
    token = csrf(auth_client, "/contacts/new/")
    response = auth_client.post(
        "/contacts/new/",
        {
            "full_name": "Time Traveller",
            "channel": "linkedin",
            "warmth": "cold",
            "connected_on": "2999-01-01",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 400
    assert "can&#x27;t be in the future" in response.content.decode()
    assert "Time Traveller" in response.content.decode()
