from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from apps.api import auth, formdata
from apps.api.endpoints import ERRORS, WRITE_ERRORS, Page
from apps.api.problems import Problem, invalid
from apps.api.schemas import ArchiveIn, ContactFilters, ContactIn, ContactOut, ContactPatch
from apps.contacts import selectors, services
from apps.contacts.forms import ContactFilterForm, ContactForm
from apps.contacts.models import Contact
from apps.core.http import owned_or_404

router = Router(tags=["contacts"])

# API names that differ from the form's.
TO_FORM = {
    "organization": "organization_name",
    "tags": "tags_text",
    "introduced_by_id": "introduced_by",
}
FROM_FORM = {form: api for api, form in TO_FORM.items()}


def _form_fields(payload: dict) -> dict:
    fields = {TO_FORM.get(name, name): value for name, value in payload.items()}
    if "tags_text" in fields:
        fields["tags_text"] = ", ".join(fields["tags_text"] or [])
    return fields


def _save(form, user, contact=None):
    if not form.is_valid():
        raise invalid(form, rename=FROM_FORM)
    try:
        if contact is None:
            return services.create_contact(owner=user, **form.service_fields())
        return services.update_contact(owner=user, contact=contact, **form.service_fields())
    except services.DuplicateContactError as error:
        raise Problem(
            409,
            f"You already have this person: contact {error.existing.pk}.",
            errors=[{"field": FROM_FORM.get(error.field, error.field), "detail": "Already used."}],
        ) from None
    except ValidationError as error:
        raise Problem(422, " ".join(error.messages)) from None


def _read(user, pk) -> Contact:
    return get_object_or_404(selectors.contact_detail(user=user, pk=pk))


@router.get("", response={200: list[ContactOut], **ERRORS}, auth=auth.read)
@paginate(Page)
def list_contacts(request, filters: Query[ContactFilters]):
    """Your contacts, searched and filtered as on the Contacts page."""
    data = {k: v for k, v in filters.dict().items() if v not in (None, "", False)}
    form = ContactFilterForm(data, user=request.user)
    if form.has_foreign_ids():
        raise Problem(404, "That tag or organization is not one of yours.")
    if not form.is_valid():
        raise invalid(form)
    return selectors.contact_queryset(user=request.user, filters=form.cleaned_or_empty())


@router.get("/{int:contact_id}", response={200: ContactOut, **ERRORS}, auth=auth.read)
def read_contact(request, contact_id: int):
    return _read(request.user, contact_id)


@router.post("", response={201: ContactOut, **WRITE_ERRORS}, auth=auth.write)
def create_contact(request, payload: ContactIn):
    form = formdata.bind(
        ContactForm, _form_fields(payload.dict(exclude_unset=True)), owner=request.user
    )
    contact = _save(form, request.user)
    return Status(201, _read(request.user, contact.pk))


@router.patch("/{int:contact_id}", response={200: ContactOut, **WRITE_ERRORS}, auth=auth.write)
def update_contact(request, contact_id: int, payload: ContactPatch):
    """Change the fields you send; the others stay as they are."""
    contact = owned_or_404(Contact.objects.select_related("organization"), request.user, contact_id)
    current = formdata.current_values(ContactForm(owner=request.user, instance=contact))
    form = formdata.bind(
        ContactForm,
        _form_fields(payload.dict(exclude_unset=True)),
        defaults=current,
        owner=request.user,
        instance=contact,
    )
    _save(form, request.user, contact)
    return _read(request.user, contact.pk)


@router.post(
    "/{int:contact_id}/archive", response={200: ContactOut, **WRITE_ERRORS}, auth=auth.write
)
def archive_contact(request, contact_id: int, payload: ArchiveIn):
    """Archive (or with `"archived": false` restore) a contact."""
    contact = owned_or_404(Contact, request.user, contact_id)
    services.set_archived(owner=request.user, contact=contact, archived=payload.archived)
    return _read(request.user, contact.pk)
