import pytest
from django.urls import reverse

from apps.contacts.duplicates import domain_core, normalized_name, suggested_pairs
from apps.contacts.models import Contact, NotDuplicate
from tests import factories

pytestmark = pytest.mark.django_db


def pairs_of(user):
    return {(p.first.full_name, p.second.full_name): p.reasons for p in suggested_pairs(user=user)}


def test_names_and_domains():
    assert normalized_name("  Jörg  Müller ") == normalized_name("jorg muller")
    assert normalized_name("J. R. Smith") == "j r smith"
    assert domain_core("mail.acme.com") == domain_core("acme.co.uk") == "acme"


def test_the_three_signs(user):
    acme = factories.OrganizationFactory(owner=user, name="Acme")
    factories.ContactFactory(owner=user, full_name="Jörg Müller", organization=acme)
    factories.ContactFactory(owner=user, full_name="jorg muller", organization=acme)
    # The same name elsewhere is not the same person.
    factories.ContactFactory(owner=user, full_name="Jorg Muller")
    factories.ContactFactory(owner=user, full_name="Dana A", email="dana@acme.com")
    factories.ContactFactory(owner=user, full_name="Dana B", email="Dana@mail.acme.co.uk")
    # gmail.com and gmail.de are not one organization.
    factories.ContactFactory(owner=user, full_name="Sam A", email="sam@gmail.com")
    factories.ContactFactory(owner=user, full_name="Sam B", email="sam@gmail.de")
    factories.ContactFactory(owner=user, full_name="Kim X", twitter_handle="KimCodes")
    factories.ContactFactory(owner=user, full_name="Kim I", instagram_handle="kimcodes")
    found = pairs_of(user)
    assert set(found) == {("Jörg Müller", "jorg muller"), ("Dana A", "Dana B"), ("Kim X", "Kim I")}
    assert found[("Kim X", "Kim I")] == ["“kimcodes” on Instagram and X"]
    assert "related acme" in found[("Dana A", "Dana B")][0]


def test_another_users_contacts_never_pair_with_mine(user, other_user):
    factories.ContactFactory(owner=user, full_name="Kim", twitter_handle="kimcodes")
    factories.ContactFactory(owner=other_user, full_name="Kim", instagram_handle="kimcodes")
    assert suggested_pairs(user=user) == []


def test_not_the_same_is_remembered(client_for, user, csrf):
    a = factories.ContactFactory(owner=user, full_name="Kim X", twitter_handle="kimcodes")
    b = factories.ContactFactory(owner=user, full_name="Kim I", instagram_handle="kimcodes")
    client = client_for(user)
    page = client.get(reverse("contacts:duplicates"))
    assert b"Kim X" in page.content and b"Kim I" in page.content
    token = csrf(client, reverse("contacts:duplicates"))
    response = client.post(
        reverse("contacts:duplicate_not_same", args=[b.pk, a.pk]), {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert NotDuplicate.objects.get(owner=user).first == a  # stored once, lower id first
    after = client.get(reverse("contacts:duplicates"))
    assert after.context["pairs"] == []
    assert b"different people" in after.content
    assert Contact.objects.count() == 2


def test_side_by_side_merge_takes_each_chosen_value(client_for, user, csrf):
    acme = factories.OrganizationFactory(owner=user, name="Acme")
    first = factories.ContactFactory(
        owner=user, full_name="Jane Doe", organization=acme, email="jane@acme.com", title="Engineer"
    )
    second = factories.ContactFactory(
        owner=user, full_name="jane doe", organization=acme, email="jdoe@acme.com", phone="+1 555"
    )
    factories.InteractionFactory(owner=user, contacts=[second])
    client = client_for(user)
    url = reverse("contacts:duplicate_compare", args=[first.pk, second.pk])
    page = client.get(url)
    form = page.context["form"]
    assert {field.name for field, _ in form.rows} == {"full_name", "email", "phone", "title"}
    assert form["phone"].initial == "second"  # a filled value over a blank one
    token = csrf(client, url)
    response = client.post(
        url,
        {
            "keep": "first",
            "full_name": "first",
            "email": "second",
            "phone": "second",
            "title": "first",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    merged = Contact.objects.get(owner=user)
    assert merged.pk == first.pk
    assert (merged.full_name, merged.email, merged.phone, merged.title) == (
        "Jane Doe",
        "jdoe@acme.com",
        "+1 555",
        "Engineer",
    )
    assert merged.interactions.count() == 1


def test_pages_need_csrf_and_ones_own_contacts(client_for, user, other_user, csrf):
    mine = factories.ContactFactory(owner=user)
    theirs = factories.ContactFactory(owner=other_user)
    client = client_for(user)
    assert (
        client.get(reverse("contacts:duplicate_compare", args=[mine.pk, theirs.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("contacts:duplicate_compare", args=[mine.pk, mine.pk])).status_code
        == 404
    )
    url = reverse("contacts:duplicate_not_same", args=[mine.pk, theirs.pk])
    assert client.post(url).status_code == 403
    token = csrf(client, reverse("contacts:duplicates"))
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 404
    assert not NotDuplicate.objects.exists()


def test_the_list_costs_a_fixed_number_of_queries(client_for, user, django_assert_max_num_queries):
    for n in range(30):
        factories.ContactFactory(owner=user, full_name=f"P{n}", twitter_handle=f"handle{n}")
        factories.ContactFactory(owner=user, full_name=f"Q{n}", instagram_handle=f"handle{n}")
    client = client_for(user)
    client.get(reverse("contacts:duplicates"))
    # session, user, the contacts, the refusals (plus the layout's own few)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("contacts:duplicates"))
    assert len(response.context["pairs"]) == 30
