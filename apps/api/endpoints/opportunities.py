from django.core.exceptions import ValidationError
from ninja import Query, Router, Status
from ninja.pagination import paginate

from apps.api import auth, formdata
from apps.api.endpoints import ERRORS, WRITE_ERRORS, Page
from apps.api.problems import Problem, invalid
from apps.api.schemas import (
    MoveIn,
    OpportunityFilters,
    OpportunityIn,
    OpportunityOut,
    PersonIn,
    PersonOut,
)
from apps.core.http import owned_or_404
from apps.opportunities import selectors, services
from apps.opportunities.forms import MoveForm, NewOpportunityForm, OpportunityFilterForm, PersonForm
from apps.opportunities.models import Opportunity, OpportunityContact

router = Router(tags=["opportunities"])

FROM_FORM = {
    "organization": "organization_id",
    "new_organization": "organization",
    "referrer": "referrer_id",
    "contact": "contact_id",
}


def _read(user, pk) -> Opportunity:
    return owned_or_404(Opportunity.objects.select_related("organization"), user, pk)


@router.get("", response={200: list[OpportunityOut], **ERRORS}, auth=auth.read)
@paginate(Page)
def list_opportunities(request, filters: Query[OpportunityFilters]):
    """Your opportunities, most recently changed first, filtered as on the list page."""
    data = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    form = OpportunityFilterForm(data, owner=request.user)
    if not form.is_valid():
        raise invalid(form, rename=FROM_FORM)
    return selectors.opportunity_queryset(user=request.user, filters=form.cleaned_or_empty())


@router.get("/{int:opportunity_id}", response={200: OpportunityOut, **ERRORS}, auth=auth.read)
def read_opportunity(request, opportunity_id: int):
    return _read(request.user, opportunity_id)


@router.post("", response={201: OpportunityOut, **WRITE_ERRORS}, auth=auth.write)
def create_opportunity(request, payload: OpportunityIn):
    sent = payload.dict(exclude_unset=True)
    fields = {
        name: value
        for name, value in sent.items()
        if name
        in {"role_title", "posting_url", "source_channel", "stage", "next_step"}
        | {"next_step_due", "notes"}
        and value is not None
    }
    fields["organization"] = payload.organization_id
    fields["new_organization"] = payload.organization
    fields["referrer"] = payload.referrer_id
    form = formdata.bind(NewOpportunityForm, fields, owner=request.user)
    if not form.is_valid():
        raise invalid(form, rename=FROM_FORM)
    opportunity = services.create_opportunity(owner=request.user, **form.service_fields())
    return Status(201, _read(request.user, opportunity.pk))


@router.post(
    "/{int:opportunity_id}/stage", response={200: OpportunityOut, **WRITE_ERRORS}, auth=auth.write
)
def move_stage(request, opportunity_id: int, payload: MoveIn):
    """Move to a stage; the move is kept in the stage history like a move on the board."""
    opportunity = _read(request.user, opportunity_id)
    form = MoveForm({"stage": payload.stage})
    if not form.is_valid():
        raise invalid(form)
    services.move_to_stage(
        owner=request.user, opportunity=opportunity, stage=form.cleaned_data["stage"]
    )
    return _read(request.user, opportunity_id)


@router.get(
    "/{int:opportunity_id}/people", response={200: list[PersonOut], **ERRORS}, auth=auth.read
)
def list_people(request, opportunity_id: int):
    opportunity = _read(request.user, opportunity_id)
    return list(selectors.people_on(opportunity=opportunity))


@router.post(
    "/{int:opportunity_id}/people", response={201: PersonOut, **WRITE_ERRORS}, auth=auth.write
)
def add_person(request, opportunity_id: int, payload: PersonIn):
    """Add one of your contacts with a role (referrer, recruiter, hiring manager…)."""
    opportunity = _read(request.user, opportunity_id)
    form = PersonForm({"contact": payload.contact_id, "role": payload.role}, owner=request.user)
    if not form.is_valid():
        raise invalid(form, rename=FROM_FORM)
    try:
        person = services.add_person(
            owner=request.user, opportunity=opportunity, **form.cleaned_data
        )
    except ValidationError as error:
        raise Problem(409, " ".join(error.messages)) from None
    return Status(201, OpportunityContact.objects.select_related("contact").get(pk=person.pk))
