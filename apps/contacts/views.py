from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from apps.contacts import pickers, selectors, services
from apps.contacts.forms import (
    ContactFilterForm,
    ContactForm,
    MergeForm,
    OrganizationForm,
    PastEmploymentForm,
    TagForm,
)
from apps.contacts.models import Contact, Organization, PastEmployment, Tag
from apps.core.http import form_status, next_url, owned_or_404, render_form
from apps.core.params import is_id

MERGE_CANDIDATES = 20


@login_required
@require_GET
def pick(request):
    """The matches of a picker (radio buttons) or of a name box (datalist options), for htmx."""
    kind = request.GET.get("kind")
    if kind not in pickers.KINDS:
        raise Http404("No such picker.")
    name = "".join(ch for ch in request.GET.get("name", "") if ch.isalnum() or ch in "_-")[:60]
    queryset = pickers.scoped(kind, pickers.KINDS[kind]["model"].objects.owned_by(request.user))
    if request.GET.get("as") == "datalist":
        found = pickers.matches(kind, queryset, request.GET.get(name, ""))
        return render(request, "contacts/pickers/_datalist.html", {"names": map(str, found)})
    term = request.GET.get(f"{name}_q", "")
    label = pickers.KINDS[kind]["label"]
    if request.GET.get("multi") == "1":
        ids = pickers.chosen_ids(request.GET.getlist(name))[: pickers.MULTI_LIMIT]
        rows = {row.pk: row for row in pickers.with_related(kind, queryset).filter(pk__in=ids)}
        chosen = [rows[pk] for pk in ids if pk in rows]
        found = pickers.matches(kind, queryset, term)
        context = {
            "name": name,
            "chosen": [(row.pk, label(row)) for row in chosen],
            "matches": [(row.pk, label(row)) for row in found if row not in chosen],
            "term": term,
        }
        return render(request, "contacts/pickers/_multi_options.html", context)
    value = request.GET.get(name)
    chosen = queryset.filter(pk=value).first() if is_id(value) else None
    context = {
        "name": name,
        "chosen": chosen,
        "chosen_label": label(chosen) if chosen else "",
        "matches": [
            (row.pk, label(row))
            for row in pickers.matches(kind, queryset, term, exclude=getattr(chosen, "pk", None))
        ],
        "term": term,
        "empty_label": request.GET.get("empty", "None")[:40],
        "allow_empty": request.GET.get("required") != "1",
    }
    return render(request, "contacts/pickers/_options.html", context)


def _partial_request(request) -> bool:
    # A history restore asks for the whole page even though it comes from htmx.
    return bool(request.htmx) and not request.htmx.history_restore_request


@login_required
@vary_on_headers("HX-Request")
def contact_list(request):
    form = ContactFilterForm(request.GET, user=request.user)
    if form.has_foreign_ids():
        raise Http404("No such tag or organization.")
    page = selectors.contact_page(
        user=request.user, filters=form.cleaned_or_empty(), page=request.GET.get("page")
    )
    context = {"form": form, "page": page, "query": request.GET.copy()}
    context["query"].pop("page", None)
    if _partial_request(request):
        return render(request, "contacts/list.html#results", context)
    return render(request, "contacts/list.html", context)


def _contact_form_page(request, form, *, contact=None):
    context = {
        "form": form,
        "contact": contact,
        "tag_names": selectors.tag_suggestions(request.user),
    }
    if contact is not None:
        context["past"] = selectors.past_employments(contact=contact)
        context["past_form"] = PastEmploymentForm(owner=request.user)
    return render_form(request, "contacts/form.html", context, form=form, partial="contact-form")


def _save_contact(request, form, contact=None):
    """Run the service; a duplicate or loop found at save time becomes a form error."""
    try:
        if contact is None:
            return services.create_contact(owner=request.user, **form.service_fields())
        return services.update_contact(owner=request.user, contact=contact, **form.service_fields())
    except services.DuplicateContactError as error:
        form.add_error(
            error.field,
            format_html(
                'You already have this person: <a href="{}">{}</a>.',
                error.existing.get_absolute_url(),
                error.existing.full_name,
            ),
        )
    except ValidationError as error:
        form.add_error(None, error)
    return None


def _redirect(request, url):
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


@login_required
def contact_create(request):
    initial = {}
    if request.method == "GET" and request.GET.get("organization"):
        organization = owned_or_404(Organization, request.user, request.GET["organization"])
        initial["organization_name"] = organization.name
    form = ContactForm(request.POST or None, owner=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        contact = _save_contact(request, form)
        if contact is not None:
            messages.success(request, f"{contact.full_name} added.")
            return _redirect(request, contact.get_absolute_url())
    return _contact_form_page(request, form)


@login_required
def contact_edit(request, pk):
    contact = owned_or_404(Contact.objects.select_related("organization"), request.user, pk)
    form = ContactForm(request.POST or None, owner=request.user, instance=contact)
    if request.method == "POST" and form.is_valid():
        saved = _save_contact(request, form, contact)
        if saved is not None:
            messages.success(request, f"{saved.full_name} saved.")
            return _redirect(request, saved.get_absolute_url())
        # A failed save may have changed the instance in memory; reload what is stored.
        form.instance = owned_or_404(Contact, request.user, pk)
    return _contact_form_page(request, form, contact=contact)


@login_required
def contact_detail(request, pk):
    return _detail_page(request, pk)


def _detail_page(request, pk, past_form=None, status=200):
    contact = get_object_or_404(selectors.contact_detail(user=request.user, pk=pk))
    context = {
        "contact": contact,
        "tag_form": TagForm(),
        "tag_names": _tag_names(request),
        "past": selectors.past_employments(contact=contact),
        "past_form": past_form or PastEmploymentForm(owner=request.user),
    }
    return render(request, "contacts/detail.html", context, status=status)


@login_required
@require_POST
def contact_past_add(request, pk):
    """Add a past organization. "Find" (no JavaScript) redraws the contact page with the
    matches and saves nothing; a mistake comes back beside the form."""
    contact = owned_or_404(Contact, request.user, pk)
    form = PastEmploymentForm(request.POST, owner=request.user)
    if form.is_valid():
        try:
            employment = services.add_past_employment(
                owner=request.user, contact=contact, **form.service_fields()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"{contact.full_name} worked at {employment.organization.name}."
            )
            return redirect(next_url(request, contact) + "#past-organizations")
    return _detail_page(request, contact.pk, past_form=form, status=form_status(form))


@login_required
@require_POST
def contact_past_remove(request, pk, past_pk):
    contact = owned_or_404(Contact, request.user, pk)
    employment = owned_or_404(PastEmployment.objects.filter(contact=contact), request.user, past_pk)
    services.remove_past_employment(owner=request.user, employment=employment)
    messages.success(request, "Removed from their past organizations.")
    return redirect(next_url(request, contact) + "#past-organizations")


def _tag_names(request):
    return selectors.tag_suggestions(request.user)


@login_required
@require_POST
def contact_archive(request, pk):
    contact = owned_or_404(Contact, request.user, pk)
    archived = request.POST.get("archived", "1") != "0"
    services.set_archived(owner=request.user, contact=contact, archived=archived)
    if archived:
        messages.success(request, f"{contact.full_name} archived.")
    else:
        messages.success(request, f"{contact.full_name} is back in your contacts.")
    return redirect("contacts:detail", pk=contact.pk)


@login_required
def contact_delete(request, pk):
    counted = Contact.objects.annotate(
        followup_count=Count("followups", distinct=True),
        interaction_count=Count("interactions", distinct=True),
        role_count=Count("opportunity_roles", distinct=True),
    )
    contact = owned_or_404(counted, request.user, pk)
    if request.method == "POST":
        services.delete_contact(owner=request.user, contact=contact)
        messages.success(request, f"{contact.full_name} deleted.")
        return redirect("contacts:list")
    return render(request, "contacts/delete.html", {"contact": contact})


@login_required
def contact_merge(request, pk):
    contact = owned_or_404(Contact.objects.select_related("organization"), request.user, pk)
    data = request.POST if request.method == "POST" else None
    if data is None and request.GET.get("other"):
        data = {"other": request.GET["other"], "survivor": "this"}
    form = MergeForm(data, owner=request.user, contact=contact)
    if data is not None and "other" in form.errors:
        raise Http404("No such contact.")
    if request.method == "POST" and form.is_valid():
        survivor, other = form.pair()
        other_name = other.full_name
        survivor = services.merge_contacts(owner=request.user, survivor=survivor, other=other)
        messages.success(request, f"{other_name} merged into {survivor.full_name}.")
        return redirect("contacts:detail", pk=survivor.pk)
    query = request.GET.get("q", "").strip()
    candidates = []
    if query:
        candidates = selectors.contact_queryset(
            user=request.user, filters={"q": query, "archived": "all"}
        ).exclude(pk=contact.pk)[:MERGE_CANDIDATES]
    other = form.cleaned_data.get("other") if form.is_bound else None
    return render(
        request,
        "contacts/merge.html",
        {"contact": contact, "form": form, "other": other, "candidates": candidates, "q": query},
        status=400 if request.method == "POST" else 200,
    )


def _tags_response(request, contact, form=None, status=200):
    contact = get_object_or_404(selectors.contact_detail(user=request.user, pk=contact.pk))
    context = {"contact": contact, "tag_form": form or TagForm(), "tag_names": _tag_names(request)}
    if request.htmx:
        return render(request, "contacts/detail.html#tags", context, status=status)
    if status != 200:
        return render(request, "contacts/detail.html", context, status=status)
    return redirect("contacts:detail", pk=contact.pk)


@login_required
@require_POST
def contact_tag_add(request, pk):
    contact = owned_or_404(Contact, request.user, pk)
    form = TagForm(request.POST)
    if not form.is_valid():
        return _tags_response(request, contact, form, status=form_status(form))
    services.add_tag(owner=request.user, contact=contact, name=form.cleaned_data["name"])
    return _tags_response(request, contact)


@login_required
@require_POST
def contact_tag_remove(request, pk, tag_pk):
    contact = owned_or_404(Contact, request.user, pk)
    tag = owned_or_404(Tag, request.user, tag_pk)
    services.remove_tag(owner=request.user, contact=contact, tag=tag)
    return _tags_response(request, contact)


@login_required
@vary_on_headers("HX-Request")
def organization_list(request):
    query = request.GET.get("q", "").strip()
    target_only = request.GET.get("target") == "1"
    page = selectors.organization_page(
        user=request.user, query=query, target_only=target_only, page=request.GET.get("page")
    )
    context = {"page": page, "q": query, "target_only": target_only}
    template = "contacts/organizations.html"
    if _partial_request(request):
        template += "#results"
    return render(request, template, context)


@login_required
def organization_detail(request, pk):
    organization = owned_or_404(Organization, request.user, pk)
    contacts = selectors.organization_contacts(organization=organization)
    return render(
        request,
        "contacts/organization_detail.html",
        {"organization": organization, "contacts": contacts},
    )


def _organization_form(request, organization=None):
    form = OrganizationForm(request.POST or None, owner=request.user, instance=organization)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in OrganizationForm.Meta.fields}
        saved = services.save_organization(owner=request.user, organization=organization, **fields)
        messages.success(request, f"{saved.name} saved.")
        return _redirect(request, saved.get_absolute_url())
    return render_form(
        request,
        "contacts/organization_form.html",
        {"form": form, "organization": organization},
        form=form,
        partial="organization-form",
    )


@login_required
def organization_create(request):
    return _organization_form(request)


@login_required
def organization_edit(request, pk):
    organization = owned_or_404(Organization, request.user, pk)
    return _organization_form(request, organization)
