import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import User
from apps.core.http import next_url, owned_or_404, render_form
from apps.core.params import is_id
from apps.reminders import calendar, forms, links, selectors, services
from apps.reminders.models import (
    BacklogBatch,
    Delivery,
    DeliveryStatus,
    FollowUp,
    FollowUpStatus,
    UsedToken,
)


def _today_context(request, backlog_form=None):
    return {
        "sections": selectors.today_sections(request.user),
        "backlog_form": backlog_form or forms.BacklogForm(user=request.user),
        "undo_batch": services.undoable_batch(request.user),
    }


@login_required
def today(request):
    context = _today_context(request)
    if request.htmx and request.GET.get("partial") == "sections":
        return render(request, "reminders/today.html#sections", context)
    return render(request, "reminders/today.html", context)


def _after_action(request, message: str, *, error: bool = False):
    """htmx from Today: the refreshed sections (errors included, status 200 so htmx swaps);
    otherwise back to where the user was."""
    if request.htmx and request.POST.get("from") == "today":
        context = _today_context(request)
        context["inline_message"] = message
        context["inline_error"] = error
        response = render(request, "reminders/today.html#sections", context)
        response["HX-Trigger"] = "followups-changed"
        return response
    (messages.error if error else messages.success)(request, message)
    return redirect(next_url(request, "reminders:today"))


@login_required
@require_POST
def followup_done(request, pk):
    follow_up = services.complete_follow_up(
        owner=request.user, follow_up=owned_or_404(FollowUp, request.user, pk)
    )
    return _after_action(request, f"Done: {follow_up.contact}.")


@login_required
@require_POST
def followup_cancel(request, pk):
    follow_up = services.cancel_follow_up(
        owner=request.user, follow_up=owned_or_404(FollowUp, request.user, pk)
    )
    return _after_action(request, f"Canceled the follow-up with {follow_up.contact}.")


@login_required
@require_POST
def followup_reopen(request, pk):
    try:
        follow_up = services.reopen_follow_up(
            owner=request.user, follow_up=owned_or_404(FollowUp, request.user, pk)
        )
    except services.FollowUpError as exc:
        return _after_action(request, str(exc), error=True)
    return _after_action(request, f"Reopened the follow-up with {follow_up.contact}.")


@login_required
@require_POST
def followup_snooze(request, pk):
    follow_up = owned_or_404(FollowUp, request.user, pk)
    form = forms.SnoozeForm(request.POST, user=request.user)
    error = None
    if form.is_valid():
        try:
            follow_up = services.snooze_follow_up(
                owner=request.user,
                follow_up=follow_up,
                days=form.cleaned_data.get("days") or None,
                until=form.cleaned_data.get("date"),
            )
        except services.FollowUpError as exc:
            error = str(exc)
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    if error:
        if request.htmx and request.POST.get("from") == "today":
            return _after_action(request, error, error=True)
        # Without JavaScript the user lands on the follow-up's page, message beside the picker.
        return render(
            request,
            "reminders/followup_form.html",
            {**_edit_context(request, follow_up), "snooze_form": form, "snooze_error": error},
            status=400,
        )
    local = timezone.localtime(follow_up.due_at, request.user.zone)
    return _after_action(request, f"Snoozed {follow_up.contact} to {local:%a %-d %b, %H:%M}.")


def _edit_context(request, follow_up, form=None):
    return {
        "follow_up": follow_up,
        "form": form or forms.FollowUpForm(user=request.user, instance=follow_up),
        "snooze_form": forms.SnoozeForm(user=request.user),
        "deliveries": follow_up.deliveries.order_by("-due_at")[:10],
    }


@login_required
@require_http_methods(["GET", "POST"])
def followup_edit(request, pk):
    follow_up = owned_or_404(FollowUp, request.user, pk)
    if request.method == "POST":
        form = forms.FollowUpForm(request.POST, user=request.user, instance=follow_up)
        if form.is_valid():
            data = form.cleaned_data
            services.update_follow_up(
                owner=request.user,
                follow_up=follow_up,
                contact=data["contact"],
                due_at=data["due_at"],
                note=data["note"],
                opportunity=data["opportunity"],
            )
            messages.success(request, "Follow-up saved.")
            return redirect(next_url(request, "reminders:followup_list"))
        return render_form(
            request,
            "reminders/followup_form.html",
            _edit_context(request, follow_up, form),
            form=form,
        )
    return render(request, "reminders/followup_form.html", _edit_context(request, follow_up))


@login_required
@require_http_methods(["GET", "POST"])
def followup_create(request):
    initial = {}
    for name in ("contact", "opportunity"):
        value = request.GET.get(name)
        if value and is_id(value):
            initial[name] = int(value)
    local_tomorrow = request.user.local_now().date() + dt.timedelta(days=1)
    initial.setdefault("due_date", local_tomorrow)
    if request.method == "POST":
        form = forms.FollowUpForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            services.create_follow_up(
                owner=request.user,
                contact=data["contact"],
                due_at=data["due_at"],
                note=data["note"],
                opportunity=data["opportunity"],
            )
            messages.success(request, f"Follow-up with {data['contact']} planned.")
            return redirect(next_url(request, "reminders:followup_list"))
    else:
        form = forms.FollowUpForm(user=request.user, initial=initial)
    return render_form(request, "reminders/followup_new.html", {"form": form}, form=form)


@login_required
@require_GET
def followup_list(request):
    form = forms.FollowUpFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_or_empty()
    page = selectors.followup_page(request.user, filters=filters, page=request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "status": filters.get("status") or "open",
        "backlog_form": forms.BacklogForm(user=request.user),
    }
    template = "reminders/followup_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@login_required
@require_POST
def followup_backlog(request):
    """Spread or close the overdue follow-ups in one step; Today then offers an Undo."""
    form = forms.BacklogForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.clear_backlog(
                owner=request.user,
                action=form.cleaned_data["action"],
                ids=form.chosen_ids(),
                days=form.cleaned_data.get("days"),
            )
        except services.FollowUpError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(next_url(request, "reminders:today"))
    # Nothing changed: Today again, with the message beside the form and the choices kept.
    context = {**_today_context(request, form), "ticked": request.POST.getlist("ids")}
    return render(request, "reminders/today.html", context, status=400)


@login_required
@require_POST
def followup_backlog_undo(request, pk):
    batch = owned_or_404(BacklogBatch, request.user, pk)
    try:
        batch = services.undo_backlog(owner=request.user, batch_id=batch.pk)
    except services.FollowUpError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Undone: {batch.count} follow-ups are back as they were.")
    return redirect(next_url(request, "reminders:today"))


@login_required
@require_GET
def outbox(request):
    status = request.GET.get("status", "")
    if status not in DeliveryStatus.values:
        status = ""
    context = {
        "page": selectors.outbox_page(request.user, status=status, page=request.GET.get("page")),
        "counts": selectors.outbox_counts(request.user),
        "status": status,
        "statuses": forms.OUTBOX_FILTERS,
    }
    return render(request, "reminders/outbox.html", context)


@login_required
@require_POST
def outbox_retry(request, pk):
    delivery = owned_or_404(Delivery, request.user, pk)
    services.retry_failed(owner=request.user, delivery=delivery)
    messages.success(request, "Trying that email again.")
    return redirect("reminders:outbox")


@never_cache
@require_GET
def calendar_feed(request, token):
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404("No calendar at this address (it may have been regenerated).")
    body = calendar.build(
        user, selectors.calendar_followups(user), interviews=selectors.calendar_interviews(user)
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="followthrough.ics"'
    return response


# --- one-click links from emails --------------------------------------------------------------


def _used_link(action: str, used_at, owner) -> links.LinkError:
    """A link clicked again: say what it did and when, calmly (410: it will not work again)."""
    local = timezone.localtime(used_at, owner.zone)
    did = "Already done" if action == "done" else "Already snoozed"
    return links.LinkError(
        f"This link was already used on {local:%A %-d %B at %H:%M}. Each email link works once,"
        " so nothing else changed.",
        410,
        heading=f"{did} on {local:%a %-d %b}",
    )


def _link_answer(request, exc: links.LinkError):
    context = {"heading": exc.heading, "note": str(exc)} if exc.heading else {"error": str(exc)}
    return render(request, "reminders/action_result.html", context, status=exc.status)


@never_cache
@require_http_methods(["GET", "POST"])
def reminder_action(request, token):
    """GET only shows what the link will do (mail scanners follow links); the POST does it."""
    try:
        payload = links.read_action(token)
        follow_up = (
            FollowUp.objects.select_related("contact", "owner")
            .filter(pk=payload.follow_up_id, owner_id=payload.user_id)
            .first()
        )
        if follow_up is None:
            raise links.LinkError("This follow-up no longer exists. Nothing was changed.", 410)
        used = UsedToken.objects.filter(nonce=payload.nonce).first()
        if used is not None:
            raise _used_link(payload.action, used.used_at, follow_up.owner)
        if follow_up.status != FollowUpStatus.OPEN:
            status = follow_up.get_status_display().lower()
            when = follow_up.completed_at or follow_up.updated_at
            on = f" on {timezone.localtime(when, follow_up.owner.zone):%a %-d %b}" if when else ""
            raise links.LinkError(
                f"This follow-up with {follow_up.contact} is already {status}. Nothing else to do.",
                409,
                heading=f"Already {status}{on}",
            )
    except links.LinkError as exc:
        return _link_answer(request, exc)
    owner = follow_up.owner
    label = links.ACTIONS[payload.action]
    if request.method == "GET":
        # Whoever clicks is often not signed in: show times in the owner's zone, not UTC.
        with timezone.override(owner.zone):
            return render(
                request,
                "reminders/action_confirm.html",
                {
                    "follow_up": follow_up,
                    "label": label,
                    "action": payload.action,
                    "due_local": timezone.localtime(follow_up.due_at, owner.zone),
                },
            )
    if not services.use_token(nonce=payload.nonce, action=payload.action, user=owner):
        return _link_answer(request, _used_link(payload.action, timezone.now(), owner))
    if payload.action == "done":
        services.complete_follow_up(owner=owner, follow_up=follow_up)
        result = f"Marked done: your follow-up with {follow_up.contact}."
    else:
        days = 3 if payload.action == "snooze3" else 7
        follow_up = services.snooze_follow_up(owner=owner, follow_up=follow_up, days=days)
        local = timezone.localtime(follow_up.due_at, owner.zone)
        result = (
            f"Snoozed: you will be reminded about {follow_up.contact}"
            f" on {local:%A %-d %B at %H:%M}."
        )
    return render(request, "reminders/action_result.html", {"result": result, "done": True})


# RFC 8058 one-click unsubscribe: mail clients POST "List-Unsubscribe=One-Click" to this URL
# from their own servers, without cookies or a CSRF token. The signed token in the URL is the
# authority (it can only turn emails off, never on), so exempting this one view from CSRF is
# what the RFC requires and exposes nothing.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def reminder_unsubscribe(request, token):
    try:
        user_id, which = links.read_unsubscribe(token)
    except links.LinkError as exc:
        return render(
            request, "reminders/action_result.html", {"error": str(exc)}, status=exc.status
        )
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return render(
            request,
            "reminders/action_result.html",
            {"error": "This account no longer exists."},
            status=410,
        )
    what = "the weekly review" if which == "weekly" else "reminder emails"
    if request.method == "GET":
        return render(request, "reminders/unsubscribe_confirm.html", {"what": what})
    # Idempotent on purpose: mail clients may repeat the one-click POST.
    services.turn_off_emails(user=user, which=which)
    return render(
        request,
        "reminders/action_result.html",
        {
            "result": f"Done: no more {what} for {user.email}. You can turn them back on in"
            " Settings.",
            "done": True,
        },
    )
