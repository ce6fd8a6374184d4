from allauth.account.views import SignupView as AllauthSignupView
from allauth.core.exceptions import ImmediateHttpResponse
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.accounts import selectors, services, signup
from apps.accounts.forms import DeleteAccountForm, SettingsForm, TimezoneForm
from apps.core.http import next_url


@login_required
def settings_page(request):
    form = SettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_settings(user=request.user, form=form)
        if request.htmx:
            # The confirmation sits in the swapped form itself, not in a flash for the next page.
            fresh = SettingsForm(instance=request.user)
            return render(
                request, "accounts/settings.html#settings-form", {"form": fresh, "saved": True}
            )
        messages.success(request, "Settings saved.")
        return redirect("accounts:settings")
    status = 400 if form.errors else 200
    if request.htmx:
        template = "accounts/settings.html#settings-form"
        return render(request, template, {"form": form}, status=status)
    context = {"form": form, "two_factor_on": selectors.two_factor_on(user=request.user)}
    return render(request, "accounts/settings.html", context, status=status)


@login_required
@require_POST
def set_timezone(request):
    form = TimezoneForm(request.POST)
    if form.is_valid():
        services.change_timezone(user=request.user, name=form.cleaned_data["timezone"])
        message, status = f"Time zone set to {request.user.timezone}.", 200
    else:
        message, status = form.errors["timezone"][0], 400
    if request.htmx:
        context = {"message": message, "error": status != 200}
        return render(request, "accounts/_timezone_offer.html#result", context, status=status)
    (messages.success if status == 200 else messages.error)(request, message)
    return redirect(next_url(request, "reminders:today"))


@login_required
@require_POST
def regenerate_calendar(request):
    services.regenerate_calendar_token(user=request.user)
    messages.success(request, "A new calendar address was made; the old one no longer works.")
    return redirect("accounts:settings")


@login_required
def delete_page(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        email = request.user.email
        user = request.user
        logout(request)
        services.delete_account(user=user)
        messages.success(request, f"Your account {email} and everything in it were deleted.")
        return redirect("account_login")
    context = {"form": form, "counts": selectors.owned_counts(user=request.user)}
    return render(request, "accounts/delete.html", context, status=400 if form.errors else 200)


class SignupView(AllauthSignupView):
    """allauth's sign-up page; a valid form is answered without telling whether the address
    already has an account (accounts.signup)."""

    def form_valid(self, form):
        try:
            return signup.finish_signup(self.request, form, redirect_url=self.get_success_url())
        except ImmediateHttpResponse as stop:
            return stop.response
