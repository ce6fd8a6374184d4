"""The sections other pages render: a contact's and an organization's opportunities."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from apps.opportunities.models import Stage
from tests.factories import ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def render(source, **context):
    request = RequestFactory().get("/")
    return Template(source).render(Context({"request": request, **context}))


CONTACT_TAG = "{% load opportunity_sections %}{% contact_opportunities contact %}"
ORG_TAG = "{% load opportunity_sections %}{% organization_opportunities organization %}"


def test_a_contact_lists_each_opportunity_with_all_their_roles(user, make_opportunity):
    dana = ContactFactory(owner=user, full_name="Dana")
    make_opportunity(
        user, role_title="Data engineer", people=[(dana, "referrer"), (dana, "insider")]
    )
    make_opportunity(user, role_title="SRE", people=[(dana, "interviewer")])
    make_opportunity(user, role_title="Not hers")
    html = render(CONTACT_TAG, contact=dana)
    items = {item.split("</a>")[0].rsplit(">", 1)[-1]: item for item in html.split("<li>")[1:]}
    assert set(items) == {"Data engineer", "SRE"}
    assert "Referrer" in items["Data engineer"] and "Insider" in items["Data engineer"]
    assert "Interviewer" in items["SRE"] and "Referrer" not in items["SRE"]
    assert "Not hers" not in html
    assert f'href="/opportunities/new/?referrer={dana.pk}"' in html
    assert "New opportunity referred by this contact" in html


def test_a_contact_without_opportunities_says_so(user):
    html = render(CONTACT_TAG, contact=ContactFactory(owner=user))
    assert "Not part of any opportunity yet." in html
    assert "New opportunity referred by this contact" in html


def test_an_organization_lists_its_opportunities_open_first(user, make_opportunity):
    acme = OrganizationFactory(owner=user, name="Acme")
    make_opportunity(user, role_title="Closed role", organization=acme, stage=Stage.REJECTED)
    make_opportunity(user, role_title="Open role", organization=acme, stage=Stage.APPLIED)
    make_opportunity(user, role_title="Elsewhere")
    html = render(ORG_TAG, organization=acme)
    assert html.index("Open role") < html.index("Closed role")
    assert "Elsewhere" not in html
    assert f"?organization={acme.pk}" in html


@pytest.mark.parametrize("size", [1, 30])
def test_both_sections_run_one_query_each(size, user, make_opportunity, django_assert_num_queries):
    dana = ContactFactory(owner=user)
    acme = OrganizationFactory(owner=user)
    for n in range(size):
        make_opportunity(
            user,
            organization=acme,
            people=[(dana, "referrer"), (dana, "insider")],
            role_title=f"Role {n}",
        )
    with django_assert_num_queries(1):
        html = render(CONTACT_TAG, contact=dana)
    assert html.count("Referrer") == size
    with django_assert_num_queries(1):
        html = render(ORG_TAG, organization=acme)
    assert html.count("Role ") == size
