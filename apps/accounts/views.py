from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.accounts import services
from apps.accounts.forms import SettingsForm


@login_required
def settings_page(request):
    form = SettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_settings(user=request.user, form=form)
        messages.success(request, "Settings saved.")
        return redirect("accounts:settings")
    template = "accounts/settings.html#settings-form" if request.htmx else "accounts/settings.html"
    return render(request, template, {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def regenerate_calendar(request):
    services.regenerate_calendar_token(user=request.user)
    messages.success(request, "A new calendar address was made; the old one no longer works.")
    return redirect("accounts:settings")
