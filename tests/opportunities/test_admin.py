import pytest

from apps.opportunities.models import StageChange
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client_for):
    return client_for(UserFactory(is_staff=True, is_superuser=True))


def test_the_admin_shows_an_opportunity_with_people_and_history(
    admin_client, user, contact, make_opportunity
):
    opportunity = make_opportunity(user, role_title="SRE", people=[(contact, "referrer")])
    html = admin_client.get(f"/admin/opportunities/opportunity/{opportunity.pk}/change/")
    assert html.status_code == 200
    body = html.content.decode()
    assert "Dana Referrer" in body or str(contact.pk) in body
    assert "Stage changes" in body or "stage change" in body.lower()
    assert admin_client.get("/admin/opportunities/opportunitycontact/").status_code == 200


def test_stage_history_is_read_only_in_the_admin(admin_client, user, make_opportunity):
    opportunity = make_opportunity(user)
    change = StageChange.objects.get(opportunity=opportunity)
    assert admin_client.get("/admin/opportunities/stagechange/").status_code == 200
    assert admin_client.get("/admin/opportunities/stagechange/add/").status_code == 403
    delete = admin_client.get(f"/admin/opportunities/stagechange/{change.pk}/delete/")
    assert delete.status_code == 403
    assert admin_client.get("/admin/opportunities/opportunity/add/").status_code == 403
