import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from apps.accounts.models import User
from apps.contacts.models import Contact, Organization, Tag
from apps.interactions.models import Interaction
from apps.opportunities.models import Opportunity, OpportunityContact, StageChange
from apps.reminders.models import FollowUp

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"seeker{n}@example.com")
    timezone = "UTC"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def email_confirmed(obj, create, extracted, **kwargs):
        """A user who signed up and clicked the confirmation link, unless `email_confirmed=False`
        (then allauth has no address for them yet, like one made with createsuperuser)."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Company {n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"tag{n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    owner = factory.SubFactory(UserFactory)
    full_name = factory.Sequence(lambda n: f"Person {n}")
    organization = factory.SubFactory(OrganizationFactory, owner=factory.SelfAttribute("..owner"))


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    summary = factory.Sequence(lambda n: f"Conversation {n}")
    minutes = 30

    @factory.post_generation
    def contacts(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.contacts.set(extracted)


class OpportunityFactory(factory.django.DjangoModelFactory):
    """Builds an opportunity with its first stage recorded, as the service would."""

    class Meta:
        model = Opportunity
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    role_title = factory.Sequence(lambda n: f"Engineer {n}")
    organization = factory.SubFactory(OrganizationFactory, owner=factory.SelfAttribute("..owner"))

    @factory.post_generation
    def first_stage(obj, create, extracted, **kwargs):
        if create:
            StageChange.objects.create(
                owner=obj.owner,
                opportunity=obj,
                from_stage="",
                to_stage=obj.stage,
                changed_at=obj.created_at,
            )


class OpportunityContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpportunityContact

    opportunity = factory.SubFactory(OpportunityFactory)
    owner = factory.SelfAttribute("opportunity.owner")
    contact = factory.SubFactory(ContactFactory, owner=factory.SelfAttribute("..owner"))
    role = "referrer"


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    owner = factory.SubFactory(UserFactory)
    contact = factory.SubFactory(ContactFactory, owner=factory.SelfAttribute("..owner"))
    due_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
