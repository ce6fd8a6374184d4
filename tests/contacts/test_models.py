import pytest
from django.db import IntegrityError, transaction

from apps.contacts.models import Contact, Organization, Tag
from tests import factories

pytestmark = pytest.mark.django_db


def _refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(**fields)


def test_one_contact_per_owner_per_email_whatever_its_case(user):
    factories.ContactFactory(owner=user, email="ada@example.com")
    _refused(owner=user, full_name="Ada again", email="ADA@Example.com")


def test_many_contacts_may_have_no_email(user):
    factories.ContactFactory(owner=user, email="")
    factories.ContactFactory(owner=user, email="")
    assert Contact.objects.owned_by(user).filter(email="").count() == 2


def test_two_owners_may_both_know_the_same_person(user, other_user):
    factories.ContactFactory(owner=user, email="ada@example.com", linkedin_url="https://x")
    factories.ContactFactory(owner=other_user, email="ada@example.com", linkedin_url="https://x")


def test_one_contact_per_owner_per_linkedin_url(user):
    url = "https://www.linkedin.com/in/ada"
    factories.ContactFactory(owner=user, linkedin_url=url)
    factories.ContactFactory(owner=user, linkedin_url="")
    factories.ContactFactory(owner=user, linkedin_url="")
    _refused(owner=user, full_name="Ada again", linkedin_url=url)


def test_organization_names_are_unique_per_owner_ignoring_case(user, other_user):
    Organization.objects.create(owner=user, name="Acme")
    Organization.objects.create(owner=other_user, name="ACME")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(owner=user, name="acme")


def test_tag_names_are_unique_per_owner_ignoring_case(user):
    Tag.objects.create(owner=user, name="Python")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(owner=user, name="python")
