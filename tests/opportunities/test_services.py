import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.contacts.models import Organization
from apps.opportunities import services
from apps.opportunities.models import Opportunity, OpportunityContact, Stage, StageChange
from tests.factories import ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def history(opportunity):
    return list(
        StageChange.objects.filter(opportunity=opportunity)
        .order_by("changed_at", "pk")
        .values_list("from_stage", "to_stage", "changed_at")
    )


def test_creation_records_the_first_stage(user, make_opportunity):
    opportunity = make_opportunity(user, stage=Stage.NETWORKING, at=T0)
    assert history(opportunity) == [("", "networking", T0)]
    assert opportunity.created_at == T0
    assert opportunity.closed_at is None


def test_creating_in_a_closed_stage_sets_when_it_closed(user, make_opportunity):
    opportunity = make_opportunity(user, stage=Stage.REJECTED, at=T0)
    assert opportunity.closed_at == T0
    assert history(opportunity) == [("", "rejected", T0)]


def test_a_forward_move_appends_one_change(user, make_opportunity):
    opportunity = make_opportunity(user, stage=Stage.REFERRED, at=T0)
    later = T0 + dt.timedelta(days=3)
    change = services.move_to_stage(
        owner=user, opportunity=opportunity, stage=Stage.APPLIED, at=later
    )
    assert (change.from_stage, change.to_stage, change.changed_at) == ("referred", "applied", later)
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.APPLIED
    assert history(opportunity) == [("", "referred", T0), ("referred", "applied", later)]


def test_skipping_stages_records_a_single_jump(user, make_opportunity):
    opportunity = make_opportunity(user, at=T0)
    services.move_to_stage(owner=user, opportunity=opportunity, stage=Stage.OFFER, at=T0)
    assert [row[:2] for row in history(opportunity)] == [
        ("", "identified"),
        ("identified", "offer"),
    ]


def test_moving_to_a_closed_stage_sets_closed_at(user, make_opportunity):
    opportunity = make_opportunity(user, stage=Stage.INTERVIEWING, at=T0)
    closed = T0 + dt.timedelta(days=10)
    services.move_to_stage(owner=user, opportunity=opportunity, stage=Stage.REJECTED, at=closed)
    opportunity.refresh_from_db()
    assert (opportunity.stage, opportunity.closed_at) == ("rejected", closed)
    assert opportunity.is_closed


def test_moving_between_closed_stages_keeps_when_it_first_closed(user, make_opportunity):
    opportunity = make_opportunity(user, stage=Stage.OFFER, at=T0)
    first = T0 + dt.timedelta(days=1)
    services.move_to_stage(owner=user, opportunity=opportunity, stage=Stage.REJECTED, at=first)
    services.move_to_stage(
        owner=user, opportunity=opportunity, stage=Stage.WITHDRAWN, at=first + dt.timedelta(days=1)
    )
    opportunity.refresh_from_db()
    assert opportunity.closed_at == first
    assert len(history(opportunity)) == 3


def test_reviving_a_closed_opportunity_is_recorded_and_reopens_it(user, make_opportunity):
    opportunity = make_opportunity(user, stage=Stage.APPLIED, at=T0)
    services.move_to_stage(
        owner=user, opportunity=opportunity, stage=Stage.REJECTED, at=T0 + dt.timedelta(days=5)
    )
    revived_at = T0 + dt.timedelta(days=40)
    change = services.move_to_stage(
        owner=user, opportunity=opportunity, stage=Stage.INTERVIEWING, at=revived_at
    )
    opportunity.refresh_from_db()
    assert (change.from_stage, change.to_stage) == ("rejected", "interviewing")
    assert opportunity.stage == Stage.INTERVIEWING
    assert opportunity.closed_at is None
    assert [row[1] for row in history(opportunity)] == ["applied", "rejected", "interviewing"]


def test_a_move_to_the_same_stage_records_nothing(user, make_opportunity):
    opportunity = make_opportunity(user, stage=Stage.APPLIED, at=T0)
    before = Opportunity.objects.get(pk=opportunity.pk).updated_at
    assert services.move_to_stage(owner=user, opportunity=opportunity, stage="applied") is None
    assert len(history(opportunity)) == 1
    assert Opportunity.objects.get(pk=opportunity.pk).updated_at == before


def test_a_move_uses_the_stored_stage_not_a_stale_instance(user, make_opportunity):
    opportunity = make_opportunity(user, stage=Stage.REFERRED, at=T0)
    stale = Opportunity.objects.get(pk=opportunity.pk)
    services.move_to_stage(owner=user, opportunity=opportunity, stage=Stage.APPLIED)
    change = services.move_to_stage(owner=user, opportunity=stale, stage=Stage.INTERVIEWING)
    assert change.from_stage == "applied"
    assert stale.stage == "interviewing"


def test_an_unknown_stage_is_refused(user, make_opportunity):
    opportunity = make_opportunity(user)
    with pytest.raises(ValidationError):
        services.move_to_stage(owner=user, opportunity=opportunity, stage="hired")
    assert len(history(opportunity)) == 1


def test_it_refuses_to_move_another_users_opportunity(user, other_user, make_opportunity):
    opportunity = make_opportunity(other_user)
    with pytest.raises(Opportunity.DoesNotExist):
        services.move_to_stage(owner=user, opportunity=opportunity, stage=Stage.APPLIED)


def test_update_never_touches_the_stage(user, make_opportunity):
    opportunity = make_opportunity(user, stage=Stage.APPLIED)
    with pytest.raises(TypeError):
        services.update_opportunity(owner=user, opportunity=opportunity, stage=Stage.OFFER)
    services.update_opportunity(
        owner=user, opportunity=opportunity, role_title="Staff engineer", next_step="Call Dana"
    )
    opportunity.refresh_from_db()
    assert (opportunity.role_title, opportunity.next_step) == ("Staff engineer", "Call Dana")
    assert opportunity.stage == Stage.APPLIED
    assert len(history(opportunity)) == 1


def test_a_typed_organization_name_reuses_an_existing_one_in_any_case(user):
    existing = OrganizationFactory(owner=user, name="Acme Corp")
    opportunity = services.create_opportunity(
        owner=user, role_title="PM", organization_name="  acme   corp "
    )
    assert opportunity.organization == existing
    created = services.create_opportunity(owner=user, role_title="PM", organization_name="Initech")
    assert created.organization.name == "Initech"
    assert created.organization.owner == user
    assert Organization.objects.owned_by(user).count() == 2


def test_a_typed_name_never_reuses_another_users_organization(user, other_user):
    theirs = OrganizationFactory(owner=other_user, name="Acme")
    opportunity = services.create_opportunity(owner=user, role_title="PM", organization_name="Acme")
    assert opportunity.organization != theirs
    assert opportunity.organization.owner == user


def test_a_contact_can_hold_several_roles_on_several_opportunities(user, make_opportunity):
    dana = ContactFactory(owner=user)
    first = make_opportunity(user, people=[(dana, "referrer"), (dana, "insider")])
    second = make_opportunity(user, people=[(dana, "interviewer")])
    roles = set(
        OpportunityContact.objects.filter(contact=dana).values_list("opportunity_id", "role")
    )
    assert roles == {(first.pk, "referrer"), (first.pk, "insider"), (second.pk, "interviewer")}


def test_the_same_person_in_the_same_role_is_refused_with_a_message(user, make_opportunity):
    dana = ContactFactory(owner=user, full_name="Dana Scully")
    opportunity = make_opportunity(user, people=[(dana, "referrer")])
    with pytest.raises(ValidationError) as excinfo:
        services.add_person(owner=user, opportunity=opportunity, contact=dana, role="referrer")
    assert excinfo.value.messages == ["Dana Scully is already a referrer on this opportunity."]
    assert OpportunityContact.objects.filter(opportunity=opportunity).count() == 1


def test_the_unique_constraint_still_refuses_a_duplicate_that_passes_the_check(
    user, make_opportunity, monkeypatch
):
    dana = ContactFactory(owner=user, full_name="Dana Scully")
    opportunity = make_opportunity(user, people=[(dana, "insider")])
    # Simulate a double submit racing past the pre-check.
    monkeypatch.setattr(
        OpportunityContact.objects, "filter", lambda **kw: OpportunityContact.objects.none()
    )
    with pytest.raises(ValidationError, match="already an insider"):
        services.add_person(owner=user, opportunity=opportunity, contact=dana, role="insider")
    monkeypatch.undo()
    assert OpportunityContact.objects.filter(opportunity=opportunity).count() == 1


def test_it_refuses_another_users_contact_as_a_person(user, make_opportunity, foreign_contact):
    opportunity = make_opportunity(user)
    with pytest.raises(PermissionError):
        services.add_person(
            owner=user, opportunity=opportunity, contact=foreign_contact, role="referrer"
        )
    assert not OpportunityContact.objects.exists()


def test_removing_a_person_keeps_their_other_roles(user, make_opportunity):
    dana = ContactFactory(owner=user)
    opportunity = make_opportunity(user, people=[(dana, "referrer"), (dana, "insider")])
    person = OpportunityContact.objects.get(opportunity=opportunity, role="referrer")
    services.remove_person(owner=user, person=person)
    assert list(
        OpportunityContact.objects.filter(opportunity=opportunity).values_list("role", flat=True)
    ) == ["insider"]


def test_updated_at_moves_with_each_stage_change(user, make_opportunity):
    opportunity = make_opportunity(user, at=T0)
    before = Opportunity.objects.get(pk=opportunity.pk).updated_at
    services.move_to_stage(owner=user, opportunity=opportunity, stage=Stage.APPLIED)
    assert Opportunity.objects.get(pk=opportunity.pk).updated_at > before
    assert opportunity.updated_at <= timezone.now()
