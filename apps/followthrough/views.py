from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from apps.contacts.models import Organization
from apps.core.http import owned_or_404
from apps.reminders import services as reminders

HOLD_DAYS = {"7": 7, "30": 30}


@login_required
@require_POST
def suggestion_hold(request, pk):
    """Snooze (days=7 or 30) or dismiss (no days) Today's suggested ask for a company."""
    organization = owned_or_404(Organization, request.user, pk)
    days = HOLD_DAYS.get(request.POST.get("days", ""))
    reminders.hold_suggestions(owner=request.user, organization=organization, days=days)
    if days:
        messages.success(request, f"No suggestion for {organization.name} for {days} days.")
    else:
        messages.success(request, f"No more suggestions for {organization.name}.")
    return redirect("reminders:today")
