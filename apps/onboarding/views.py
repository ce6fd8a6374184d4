from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from apps.onboarding import services

# Today shows a banner while this is set; Settings checks the database.
SESSION_FLAG = "sample_data_loaded"


@login_required
@require_POST
def load_sample(request):
    try:
        services.load_sample_data(owner=request.user)
    except services.SampleDataError as exc:
        messages.error(request, str(exc))
        return redirect("reminders:today")
    request.session[SESSION_FLAG] = True
    messages.success(
        request,
        "Sample data added: a six-week job search to look around in. One click removes it again.",
    )
    return redirect("reminders:today")


@login_required
@require_POST
def remove_sample(request):
    removal = services.remove_sample_data(owner=request.user)
    request.session.pop(SESSION_FLAG, None)
    message = f"Sample data removed ({removal.removed} records)."
    if removal.kept:
        message += f" Kept {', '.join(removal.kept)}: your own records mention them."
    messages.success(request, message)
    return redirect("reminders:today")
