from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import formats, timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import trigger_client_event

from apps.contacts.models import Contact
from apps.core.http import next_url, owned_or_404
from apps.core.params import is_id
from apps.core.text import search_term
from apps.interactions import selectors, services
from apps.interactions.forms import InteractionFilterForm, InteractionForm
from apps.interactions.models import Interaction
from apps.reminders.models import FollowUp, FollowUpStatus

FORM_TEMPLATE = "interactions/form.html"
LOGGED_EVENT = "interactionLogged"
FOLLOWUPS_EVENT = "followups-changed"


def _came_from(request):
    """Where to go back to after a plain (no JavaScript) save: ?next=, else the referring page."""
    nxt = next_url(request)
    if nxt:
        return nxt
    referer = request.headers.get("referer", "")
    host = request.get_host()
    for scheme in ("http://", "https://"):
        prefix = f"{scheme}{host}"
        if referer.startswith(prefix + "/"):
            path = referer[len(prefix) :]
            if not path.startswith(reverse("interactions:new")):
                return path
    return ""


def _names_interaction(url: str, pk: int) -> bool:
    """Whether `url` is one of this interaction's own pages (gone once it is deleted)."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False
    return match.namespace == "interactions" and match.kwargs.get("pk") == pk


def _give_note_context(user, contact_ids, *, asking: bool) -> dict:
    return {
        "never_given": selectors.never_given(user=user, contact_ids=contact_ids),
        "asking": asking,
    }


def _render_form(request, *, form, status=200, **extra):
    selected = form.selected_contacts()
    asking = bool(form.data.get("asked") or form.data.get("asked_referral"))
    context = {
        "form": form,
        "in_dialog": bool(request.htmx),
        **_give_note_context(request.user, [c.pk for c in selected], asking=asking),
        "selected_contacts": selected,
        "new_names": form.selected_new_names(),
        "query": request.POST.get("q", "") if request.method == "POST" else "",
        **extra,
    }
    if not request.htmx and request.method == "POST":
        # The no-JavaScript picker: "Find" lists a few matching contacts to tick, never all.
        query = search_term(request.POST.get("find_contacts", ""))
        context["find_query"] = query
        context["found_contacts"] = selectors.contact_suggestions(
            user=request.user,
            query=query,
            exclude_ids=[c.pk for c in context["selected_contacts"]],
        )
    template = f"{FORM_TEMPLATE}#interaction_form" if request.htmx else FORM_TEMPLATE
    return render(request, template, context, status=status)


def _saved(request, *, message, interaction, default_next):
    if request.htmx:
        response = render(
            request, f"{FORM_TEMPLATE}#saved", {"message": message, "interaction": interaction}
        )
        contact_ids = [c.pk for c in interaction.contacts.all()]
        trigger_client_event(
            response,
            LOGGED_EVENT,
            {"message": message, "interaction": interaction.pk, "contacts": contact_ids},
        )
        # Logging can complete, create or move follow-ups (cadence): Today and the contact's
        # follow-ups section refresh on this event.
        return trigger_client_event(response, FOLLOWUPS_EVENT, {})
    messages.success(request, message)
    return redirect(next_url(request, default_next))


def _describe(interaction, contacts, follow_up_at, promise_at=None):
    names = ", ".join(c.full_name for c in contacts)
    message = f"Logged “{interaction.summary}” with {names}."
    if follow_up_at:
        when = formats.date_format(timezone.localtime(follow_up_at), "D j M, H:i")
        message += f" Follow-up set for {when}."
    if promise_at:
        when = formats.date_format(timezone.localtime(promise_at), "D j M")
        message += f" Promise noted for {when}."
    return message


@login_required
@require_http_methods(["GET", "POST"])
def interaction_new(request):
    user = request.user
    source = request.POST if request.method == "POST" else request.GET
    follow_up = owned_or_404(
        FollowUp.objects.select_related("contact", "opportunity"),
        user,
        source.get("followup"),
        optional=True,
    )
    if request.method == "POST":
        form = InteractionForm(request.POST, user=user, auto_id=_auto_id(request))
        if form.is_valid():
            data = form.cleaned_data
            interaction = services.log_interaction(
                owner=user,
                contacts=data["contacts"],
                summary=data["summary"],
                new_contact_names=data["new_contacts"],
                follow_up_at=data["follow_up_at"],
                follow_up_note=data["follow_up_note"],
                promise=data["promise"],
                promise_at=data["promise_at"],
                complete_follow_up=follow_up
                if follow_up and follow_up.status == FollowUpStatus.OPEN
                else None,
                **form.service_fields(),
            )
            contacts = list(interaction.contacts.all())
            message = _describe(interaction, contacts, data["follow_up_at"], data["promise_at"])
            default = contacts[0] if len(contacts) == 1 else "interactions:list"
            return _saved(request, message=message, interaction=interaction, default_next=default)
        return _render_form(
            request,
            form=form,
            status=200 if form.finding else 400,
            follow_up=follow_up,
            next=next_url(request),
        )

    initial = _last_used(user)
    contact = owned_or_404(Contact, user, request.GET.get("contact"), optional=True)
    chosen = [contact] if contact else []
    if follow_up is not None:
        if follow_up.contact not in chosen:
            chosen.append(follow_up.contact)
        if follow_up.opportunity_id:
            initial["opportunity"] = follow_up.opportunity
    opportunity = owned_or_404(
        selectors.Opportunity, user, request.GET.get("opportunity"), optional=True
    )
    if opportunity is not None and not opportunity.is_closed:
        initial["opportunity"] = opportunity
    initial["contacts"] = chosen
    # Prefill only (from a captured page, say): what is typed is checked when it is saved.
    for name in ("summary", "notes"):
        if request.GET.get(name):
            initial[name] = request.GET[name][: InteractionForm.base_fields[name].max_length]
    form = InteractionForm(user=user, initial=initial, auto_id=_auto_id(request))
    return _render_form(request, form=form, follow_up=follow_up, next=_came_from(request))


def _auto_id(request):
    # The dialog can open over the full form page: keep their element ids apart.
    return "ql_%s" if request.htmx else "id_%s"


def _last_used(user) -> dict:
    """Start from the channel and kind of the user's last log: people log in runs."""
    last = (
        Interaction.objects.owned_by(user)
        .order_by("-created_at", "-pk")
        .values("channel", "kind")
        .first()
    )
    return dict(last) if last else {}


@login_required
@require_http_methods(["GET", "POST"])
def interaction_edit(request, pk):
    user = request.user
    interaction = owned_or_404(Interaction, user, pk)
    if request.method == "POST":
        form = InteractionForm(
            request.POST, user=user, instance=interaction, auto_id=_auto_id(request)
        )
        if form.is_valid():
            data = form.cleaned_data
            services.update_interaction(
                owner=user,
                interaction=interaction,
                contacts=data["contacts"],
                new_contact_names=data["new_contacts"],
                summary=data["summary"],
                **form.service_fields(),
            )
            return _saved(
                request,
                message=f"Saved “{interaction.summary}”.",
                interaction=interaction,
                default_next=reverse("interactions:list"),
            )
        return _render_form(
            request,
            form=form,
            status=200 if form.finding else 400,
            interaction=interaction,
            next=next_url(request),
        )
    form = InteractionForm.for_instance(user=user, instance=interaction)
    form.auto_id = _auto_id(request)
    return _render_form(request, form=form, interaction=interaction, next=_came_from(request))


@login_required
@require_http_methods(["GET", "POST"])
def interaction_delete(request, pk):
    user = request.user
    interaction = owned_or_404(Interaction.objects.prefetch_related("contacts"), user, pk)
    if request.method == "POST":
        summary = interaction.summary
        services.delete_interaction(owner=user, interaction=interaction)
        messages.success(request, f"Deleted “{summary}”.")
        nxt = next_url(request)
        if _names_interaction(nxt, pk):
            nxt = ""
        return redirect(nxt or reverse("interactions:list"))
    return render(
        request,
        "interactions/confirm_delete.html",
        {"interaction": interaction, "next": _came_from(request)},
    )


@login_required
@require_GET
def interaction_list(request):
    form = InteractionFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_or_empty()
    page, totals = selectors.interaction_page(
        user=request.user, filters=filters, page=request.GET.get("page")
    )
    hours, minutes = divmod(totals["minutes"], 60)
    totals["duration"] = f"{hours} h {minutes:02d}" if hours else f"{minutes} min"
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "totals": totals,
        "filters": filters,
        "filter_query": query.urlencode(),
        "filtered": bool(filters),
    }
    template = "interactions/list.html#results" if request.htmx else "interactions/list.html"
    return render(request, template, context)


@login_required
@require_GET
def contact_suggestions(request):
    query = search_term(request.GET.get("q", ""))
    chosen = [int(v) for v in request.GET.getlist("contacts") if is_id(v)]
    new_names = {n.casefold() for n in request.GET.getlist("new_contacts")}
    results = selectors.contact_suggestions(user=request.user, query=query, exclude_ids=chosen)
    offer_new = (
        bool(query)
        and query.casefold() not in new_names
        and not any(c.full_name.casefold() == query.casefold() for c in results)
        and not selectors.name_taken(user=request.user, name=query)
    )
    return render(
        request,
        "interactions/_suggestions.html",
        {
            "results": results,
            "query": query,
            "offer_new": offer_new,
            "list_id": _safe_id(request.GET.get("list")),
        },
    )


def _safe_id(value):
    value = "".join(ch for ch in (value or "") if ch.isascii() and (ch.isalnum() or ch in "_-"))
    return value[:40] or "suggestions"


@login_required
@require_GET
def contact_timeline(request, pk):
    contact = owned_or_404(Contact, request.user, pk)
    page = selectors.contact_timeline(
        owner=request.user, contact=contact, page=request.GET.get("ipage")
    )
    return render(
        request,
        "interactions/_contact_interactions.html",
        {"contact": contact, "page": page, "request": request},
    )


@login_required
@require_GET
def give_note(request):
    """The quick log's gentle note, redrawn as contacts are picked and an ask is typed."""
    ids = [int(v) for v in request.GET.getlist("contacts") if is_id(v)][:50]
    asking = bool(request.GET.get("asked", "").strip() or request.GET.get("asked_referral"))
    return render(
        request,
        "interactions/_give_note.html",
        _give_note_context(request.user, ids, asking=asking),
    )
