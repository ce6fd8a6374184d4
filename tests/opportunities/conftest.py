import pytest

from apps.opportunities import services
from tests.factories import ContactFactory, OrganizationFactory


@pytest.fixture
def make_opportunity():
    """An opportunity created the way the app creates them: through the service."""

    def make(owner, **fields):
        fields.setdefault("role_title", "Backend engineer")
        if "organization" not in fields and "organization_name" not in fields:
            fields["organization"] = OrganizationFactory(owner=owner)
        return services.create_opportunity(owner=owner, **fields)

    return make


@pytest.fixture
def contact(user):
    return ContactFactory(owner=user, full_name="Dana Referrer")


@pytest.fixture
def foreign_contact(other_user):
    return ContactFactory(owner=other_user, full_name="Someone Else")
