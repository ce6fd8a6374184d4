"""Log a conversation from a calendar invitation: upload, preview, then save on confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from apps.capture import selectors
from apps.capture.forms import InviteForm
from apps.capture.invites import InviteError, read_invite
from apps.contacts import services as contacts
from apps.core.choices import Channel
from apps.interactions import services as interactions
from apps.interactions.forms import InteractionForm
from apps.interactions.models import Kind

TEMPLATE = "capture/invite.html"


def _read(request, ics):
    return read_invite(ics, zone=request.user.zone, own_emails=[request.user.email])


def _conversation_form(request, invite, data=None, *, known, unknown):
    """The quick log's own form, prefilled from the invitation."""
    local = timezone.localtime(invite.starts_at, request.user.zone)
    initial = {
        "contacts": list(known.values()),
        "summary": invite.summary,
        "kind": Kind.EVENT if invite.all_day else Kind.MEETING,
        "channel": Channel.VIDEO if invite.video else Channel.IN_PERSON,
        "occurred_at": local.replace(tzinfo=None),
        "minutes_custom": invite.minutes or None,
        "new_contacts": [person.name for person in unknown],
    }
    form = InteractionForm(data, user=request.user, initial=initial)
    for name in ("follow_up", "follow_up_date", "follow_up_time", "follow_up_note", "minutes"):
        form.fields.pop(name, None)
    # The invitation fills these; the quick log's hints ("leave empty for now") do not apply.
    form.fields["minutes_custom"].label = "Time spent (minutes)"
    form.fields["occurred_at"].help_text = "From the invitation, in your time zone."
    return form


def _context(request, ics, invite, form):
    known = selectors.contacts_by_email(user=request.user, emails=[p.email for p in invite.people])
    rows = [{"person": person, "contact": known.get(person.email)} for person in invite.people]
    return {"ics": ics, "invite": invite, "form": form, "rows": rows}


@login_required
@require_http_methods(["GET", "POST"])
def invite_start(request):
    form = InviteForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        ics = form.cleaned_data["ics"]
        ics = ics.decode("utf-8", "replace") if isinstance(ics, bytes) else ics
        try:
            invite = _read(request, ics)
        except InviteError as error:
            form.add_error(None, str(error))
        else:
            people = invite.people
            known = selectors.contacts_by_email(user=request.user, emails=[p.email for p in people])
            unknown = [p for p in people if p.email not in known]
            conversation = _conversation_form(request, invite, known=known, unknown=unknown)
            return render(request, TEMPLATE, _context(request, ics, invite, conversation))
    return render(
        request, "capture/invite_start.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def invite_save(request):
    """Save what the preview showed: the invitation is read again from the posted text, so only
    its own attendees can be chosen or added."""
    ics = request.POST.get("ics", "")
    try:
        invite = _read(request, ics)
    except InviteError as error:
        return render(
            request,
            "capture/invite_start.html",
            {"form": InviteForm(), "error": str(error)},
            status=400,
        )
    chosen = set(request.POST.getlist("person"))
    people = [p for p in invite.people if p.email in chosen]
    known = selectors.contacts_by_email(user=request.user, emails=[p.email for p in people])
    unknown = [p for p in people if p.email not in known]
    data = request.POST.copy()
    data.setlist("contacts", [str(c.pk) for c in known.values()])
    data.setlist("new_contacts", [p.name for p in unknown])
    form = _conversation_form(request, invite, data, known=known, unknown=unknown)
    if not form.is_valid():
        context = _context(request, ics, invite, form)
        context["chosen"] = chosen
        return render(request, TEMPLATE, context, status=400)
    with transaction.atomic():
        attendees = list(known.values())
        for person in unknown:
            try:
                attendees.append(
                    contacts.create_contact(
                        owner=request.user,
                        full_name=person.name,
                        email=person.email,
                        channel=form.cleaned_data["channel"],
                    )
                )
            except contacts.DuplicateContactError as error:
                attendees.append(error.existing)
        interaction = interactions.log_interaction(
            owner=request.user,
            contacts=attendees,
            summary=form.cleaned_data["summary"],
            **form.service_fields(),
        )
    names = ", ".join(c.full_name for c in attendees)
    messages.success(request, f"Logged “{interaction.summary}” with {names}.")
    return redirect(attendees[0] if len(attendees) == 1 else "interactions:list")
