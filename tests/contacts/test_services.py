import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.contacts import services
from apps.contacts.models import Contact, Organization
from apps.interactions.models import Interaction
from apps.opportunities.models import OpportunityContact
from apps.reminders import services as reminders
from apps.reminders.models import FollowUp, FollowUpStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def synced(monkeypatch):
    # Contacts announce the change; reminders re-plans the cadence in its receiver.
    calls = []
    monkeypatch.setattr(reminders, "sync_cadence", lambda *, contacts: calls.append(list(contacts)))
    return calls


def test_create_stores_the_canonical_linkedin_url(user):
    contact = services.create_contact(
        owner=user, full_name="Ada", linkedin_url="http://uk.linkedin.com/in/Ada-L/?trk=1"
    )
    assert contact.linkedin_url == "https://www.linkedin.com/in/ada-l"


def test_a_second_spelling_of_the_same_profile_is_a_duplicate(user):
    first = services.create_contact(owner=user, full_name="Ada", linkedin_url="linkedin.com/in/ada")
    with pytest.raises(services.DuplicateContactError) as caught:
        services.create_contact(
            owner=user, full_name="Ada L", linkedin_url="https://m.linkedin.com/in/ADA/"
        )
    assert caught.value.existing == first
    assert caught.value.field == "linkedin_url"


def test_an_email_in_another_case_is_a_duplicate(user):
    first = services.create_contact(owner=user, full_name="Ada", email="ada@example.com")
    with pytest.raises(services.DuplicateContactError) as caught:
        services.create_contact(owner=user, full_name="Ada 2", email="Ada@EXAMPLE.com")
    assert caught.value.existing == first


def test_typing_an_organization_name_reuses_it_whatever_its_case(user):
    acme = Organization.objects.create(owner=user, name="Acme Corp")
    contact = services.create_contact(owner=user, full_name="Ada", organization_name=" acme  corp ")
    assert contact.organization == acme
    created = services.create_contact(owner=user, full_name="Bob", organization_name="Initech")
    assert created.organization.name == "Initech"
    assert created.organization.owner == user


def test_tags_are_created_once_and_matched_ignoring_case(user):
    factories.TagFactory(owner=user, name="Python")
    contact = services.create_contact(
        owner=user, full_name="Ada", tag_names=["python", "Mentor", "mentor"]
    )
    assert sorted(t.name for t in contact.tags.all()) == ["Mentor", "Python"]


def test_a_contact_cannot_introduce_themselves(user):
    ada = factories.ContactFactory(owner=user)
    with pytest.raises(ValidationError, match="cannot introduce themselves"):
        services.update_contact(owner=user, contact=ada, introduced_by=ada)


def test_an_introduction_loop_is_refused_however_long(user):
    a = factories.ContactFactory(owner=user, full_name="A")
    b = factories.ContactFactory(owner=user, full_name="B", introduced_by=a)
    c = factories.ContactFactory(owner=user, full_name="C", introduced_by=b)
    d = factories.ContactFactory(owner=user, full_name="D", introduced_by=c)
    with pytest.raises(ValidationError, match="cannot have been introduced by them"):
        services.update_contact(owner=user, contact=a, introduced_by=d)
    a.refresh_from_db()
    assert a.introduced_by is None


def test_walking_the_introduction_chain_takes_one_query(user, django_assert_num_queries):
    previous = None
    for n in range(30):
        previous = factories.ContactFactory(owner=user, full_name=f"P{n}", introduced_by=previous)
    with django_assert_num_queries(1):
        ancestors = services.introduction_ancestors(owner=user, contact_id=previous.pk)
    assert len(ancestors) == 30


def test_an_introducer_must_belong_to_the_same_owner(user, other_user):
    ada = factories.ContactFactory(owner=user)
    stranger = factories.ContactFactory(owner=other_user)
    with pytest.raises(ValidationError, match="your own contacts"):
        services.update_contact(owner=user, contact=ada, introduced_by=stranger)


def test_changing_the_cadence_resyncs_reminders(user, synced):
    contact = services.create_contact(owner=user, full_name="Ada", cadence_days=30)
    assert synced == [[contact]]
    services.update_contact(owner=user, contact=contact, title="CTO")
    assert len(synced) == 1, "an unrelated edit does not touch reminders"
    services.update_contact(owner=user, contact=contact, cadence_days=14)
    assert synced[-1] == [contact]


def test_merge_moves_every_relation_to_the_survivor(user, synced):
    keep = factories.ContactFactory(
        owner=user, full_name="Ada Lovelace", email="", title="", notes="Met at PyCon."
    )
    lose = factories.ContactFactory(
        owner=user,
        full_name="Ada L.",
        email="ada@example.com",
        title="Engineer",
        phone="555",
        notes="Likes maths.",
        linkedin_url="https://www.linkedin.com/in/ada",
        warmth="close",
    )
    long_ago = timezone.now() - dt.timedelta(days=400)
    Contact.objects.filter(pk=lose.pk).update(
        created_at=long_ago, last_interaction_at=timezone.now()
    )
    lose.refresh_from_db()
    introducer = factories.ContactFactory(owner=user)
    Contact.objects.filter(pk=lose.pk).update(introduced_by=introducer)
    introduced = factories.ContactFactory(owner=user, introduced_by=lose)
    tag = factories.TagFactory(owner=user, name="mentor")
    shared_tag = factories.TagFactory(owner=user, name="python")
    lose.tags.add(tag, shared_tag)
    keep.tags.add(shared_tag)

    own_chat = factories.InteractionFactory(owner=user, contacts=[lose])
    shared_chat = factories.InteractionFactory(owner=user, contacts=[keep, lose])
    follow_up = factories.FollowUpFactory(owner=user, contact=lose)
    keep_cadence = factories.FollowUpFactory(owner=user, contact=keep, is_cadence=True)
    lose_cadence = factories.FollowUpFactory(
        owner=user, contact=lose, is_cadence=True, due_at=timezone.now() + dt.timedelta(days=9)
    )
    opportunity = factories.OpportunityFactory(owner=user)
    other_opportunity = factories.OpportunityFactory(owner=user)
    factories.OpportunityContactFactory(opportunity=opportunity, contact=keep, role="referrer")
    factories.OpportunityContactFactory(opportunity=opportunity, contact=lose, role="referrer")
    factories.OpportunityContactFactory(opportunity=opportunity, contact=lose, role="insider")
    factories.OpportunityContactFactory(
        opportunity=other_opportunity, contact=lose, role="recruiter"
    )

    survivor = services.merge_contacts(owner=user, survivor=keep, other=lose)

    assert survivor.pk == keep.pk
    assert not Contact.objects.filter(pk=lose.pk).exists()
    # conversations
    assert set(own_chat.contacts.all()) == {keep}
    assert set(shared_chat.contacts.all()) == {keep}
    assert Interaction.contacts.through.objects.filter(contact=keep).count() == 2
    # follow-ups, with a single open cadence follow-up left
    assert FollowUp.objects.get(pk=follow_up.pk).contact == keep
    lose_cadence.refresh_from_db()
    keep_cadence.refresh_from_db()
    assert lose_cadence.contact == keep and lose_cadence.status == FollowUpStatus.CANCELED
    assert keep_cadence.status == FollowUpStatus.OPEN
    # opportunity roles, exact duplicates dropped
    roles = set(OpportunityContact.objects.filter(contact=keep).values_list("opportunity", "role"))
    assert roles == {
        (opportunity.pk, "referrer"),
        (opportunity.pk, "insider"),
        (other_opportunity.pk, "recruiter"),
    }
    # introductions, both directions
    introduced.refresh_from_db()
    assert introduced.introduced_by == keep
    survivor.refresh_from_db()
    assert survivor.introduced_by == introducer
    # tags, blank fields, notes, dates
    assert set(survivor.tags.values_list("name", flat=True)) == {"mentor", "python"}
    assert survivor.email == "ada@example.com"
    assert survivor.title == "Engineer"
    assert survivor.phone == "555"
    assert survivor.linkedin_url == "https://www.linkedin.com/in/ada"
    assert survivor.full_name == "Ada Lovelace"
    assert "Met at PyCon." in survivor.notes and "Likes maths." in survivor.notes
    assert survivor.warmth == "close"
    assert survivor.created_at == long_ago
    assert survivor.last_interaction_at == lose.last_interaction_at
    assert synced[-1] == [survivor]


def test_merge_keeps_the_survivors_own_values(user):
    keep = factories.ContactFactory(owner=user, title="CTO", email="a@example.com")
    lose = factories.ContactFactory(owner=user, title="Engineer", email="b@example.com")
    survivor = services.merge_contacts(owner=user, survivor=keep, other=lose)
    assert (survivor.title, survivor.email) == ("CTO", "a@example.com")


def test_merging_someone_with_the_person_they_introduced_leaves_no_self_introduction(user):
    keep = factories.ContactFactory(owner=user)
    lose = factories.ContactFactory(owner=user, introduced_by=keep)
    survivor = services.merge_contacts(owner=user, survivor=keep, other=lose)
    survivor.refresh_from_db()
    assert survivor.introduced_by is None


def test_merge_refuses_another_owners_contact(user, other_user):
    keep = factories.ContactFactory(owner=user)
    stranger = factories.ContactFactory(owner=other_user)
    with pytest.raises(ValidationError):
        services.merge_contacts(owner=user, survivor=keep, other=stranger)
    assert Contact.objects.filter(pk=stranger.pk).exists()
