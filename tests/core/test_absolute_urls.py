"""Every model with a page knows its URL, and that URL opens the page for its owner."""

import pytest
from django.test import Client
from django.urls import resolve

from apps.portability.models import ImportJob, ImportKind, ImportStatus
from tests import factories

pytestmark = pytest.mark.django_db


def _import_job(owner):
    return ImportJob.objects.create(
        owner=owner, kind=ImportKind.CSV, status=ImportStatus.FAILED, error="Unreadable file."
    )


CASES = [
    (factories.OrganizationFactory, "contacts:organization_detail", "/organizations/{pk}/"),
    (factories.ContactFactory, "contacts:detail", "/contacts/{pk}/"),
    (factories.InteractionFactory, "interactions:edit", "/interactions/{pk}/edit/"),
    (factories.OpportunityFactory, "opportunities:detail", "/opportunities/{pk}/"),
    (factories.FollowUpFactory, "reminders:followup_edit", "/followups/{pk}/"),
    (_import_job, "portability:import_detail", "/import/{pk}/"),
]


@pytest.mark.parametrize(("make", "view_name", "path"), CASES)
def test_get_absolute_url_opens_the_objects_page(user, make, view_name, path):
    obj = make(owner=user)
    url = obj.get_absolute_url()
    assert url == path.format(pk=obj.pk)
    match = resolve(url)
    assert match.view_name == view_name
    assert match.kwargs == {"pk": obj.pk}
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 404
