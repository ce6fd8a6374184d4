"""Employment history: past organizations added on the contact page by search-then-pick (or a
new name), with the year they left; owner-scoped, CSRF-guarded, and "Find" without JavaScript
saves nothing."""

import pytest

from apps.contacts import services
from apps.contacts.models import Organization, PastEmployment
from tests import factories
from tests.conftest import csrf_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana(user):
    return factories.ContactFactory(owner=user, full_name="Dana", organization=None)


def _post(client, contact, data, url=None):
    token = csrf_token(client, f"/contacts/{contact.pk}/")
    return client.post(
        url or f"/contacts/{contact.pk}/past/", {"csrfmiddlewaretoken": token, **data}
    )


def test_a_picked_organization_is_added_with_its_year(client_for, user, dana):
    acme = factories.OrganizationFactory(owner=user, name="Acme")
    client = client_for(user)
    response = _post(client, dana, {"past-organization": acme.pk, "past-until": "2023"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/contacts/{dana.pk}/#past-organizations")
    [past] = PastEmployment.objects.all()
    assert (past.owner, past.contact, past.organization, past.until) == (user, dana, acme, 2023)
    page = client.get(f"/contacts/{dana.pk}/").content.decode()
    section = page.split('id="past-organizations"')[1].split("</section>")[0]
    assert "Acme" in section and "until 2023" in section


def test_a_typed_new_name_creates_the_organization_or_reuses_it(client_for, user, dana):
    client = client_for(user)
    _post(client, dana, {"past-new_organization": "  Initech  "})
    _post(client, dana, {"past-new_organization": "initech", "past-until": "2019"})
    [past] = PastEmployment.objects.select_related("organization")
    assert past.organization.name == "Initech" and past.until == 2019
    assert Organization.objects.filter(owner=user).count() == 1


def test_find_without_javascript_shows_matches_and_saves_nothing(client_for, user, dana):
    factories.OrganizationFactory(owner=user, name="Acme Labs")
    factories.OrganizationFactory(owner=factories.UserFactory(), name="Acme Theirs")
    client = client_for(user)
    response = _post(
        client,
        dana,
        {"find": "past-organization", "past-organization_q": "acme", "past-until": "2020"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Acme Labs" in body and "Acme Theirs" not in body
    assert 'value="2020"' in body
    assert not PastEmployment.objects.exists()


def test_nothing_chosen_or_a_future_year_is_refused_beside_the_form(client_for, user, dana):
    client = client_for(user)
    response = _post(client, dana, {"past-until": "2020"})
    assert response.status_code == 400
    assert "Find and choose an organization" in response.content.decode()
    acme = factories.OrganizationFactory(owner=user, name="Acme")
    response = _post(client, dana, {"past-organization": acme.pk, "past-until": "2090"})
    assert response.status_code == 400
    assert "be in the future" in response.content.decode()
    assert not PastEmployment.objects.exists()


def test_another_users_organization_or_contact_is_refused(client_for, user, other_user, dana):
    theirs = factories.OrganizationFactory(owner=other_user, name="Theirs")
    their_contact = factories.ContactFactory(owner=other_user)
    client = client_for(user)
    response = _post(client, dana, {"past-organization": theirs.pk})
    assert response.status_code == 400
    assert "Choose one of your organizations" in response.content.decode()
    token = csrf_token(client, "/")
    mine = factories.OrganizationFactory(owner=user)
    response = client.post(
        f"/contacts/{their_contact.pk}/past/",
        {"csrfmiddlewaretoken": token, "past-organization": mine.pk},
    )
    assert response.status_code == 404
    assert not PastEmployment.objects.exists()


def test_adding_and_removing_need_the_csrf_token(client_for, user, dana):
    acme = factories.OrganizationFactory(owner=user, name="Acme")
    past = services.add_past_employment(owner=user, contact=dana, organization=acme)
    client = client_for(user)
    assert (
        client.post(f"/contacts/{dana.pk}/past/", {"past-organization": acme.pk}).status_code == 403
    )
    remove = f"/contacts/{dana.pk}/past/{past.pk}/remove/"
    assert client.post(remove).status_code == 403
    assert PastEmployment.objects.count() == 1
    token = csrf_token(client, f"/contacts/{dana.pk}/")
    response = client.post(
        remove, {"csrfmiddlewaretoken": token, "next": f"/contacts/{dana.pk}/edit/"}
    )
    assert response.status_code == 302 and "/edit/" in response["Location"]
    assert not PastEmployment.objects.exists()


def test_the_edit_page_shows_past_organizations_too(client_for, user, dana):
    acme = factories.OrganizationFactory(owner=user, name="Acme")
    services.add_past_employment(owner=user, contact=dana, organization=acme, until=2022)
    body = client_for(user).get(f"/contacts/{dana.pk}/edit/").content.decode()
    section = body.split('id="past-organizations"')[1].split("</section>")[0]
    assert "Acme" in section and "until 2022" in section
    assert f'name="next" value="/contacts/{dana.pk}/edit/"' in section
    # No list of every organization: a search box and a Find button.
    assert "<select" not in section and "Find</button>" in section


def test_merging_keeps_one_row_per_organization(user):
    acme = factories.OrganizationFactory(owner=user, name="Acme")
    globex = factories.OrganizationFactory(owner=user, name="Globex")
    a = factories.ContactFactory(owner=user, full_name="Dana")
    b = factories.ContactFactory(owner=user, full_name="Dana L.")
    services.add_past_employment(owner=user, contact=a, organization=acme, until=2020)
    services.add_past_employment(owner=user, contact=b, organization=acme, until=2021)
    services.add_past_employment(owner=user, contact=b, organization=globex)
    services.merge_contacts(owner=user, survivor=a, other=b)
    rows = sorted(PastEmployment.objects.values_list("contact", "organization__name", "until"))
    assert rows == [(a.pk, "Acme", 2020), (a.pk, "Globex", None)]
