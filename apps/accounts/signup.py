"""Sign-up that never tells whether an address already has an account, in every verification
mode. A new address and a known one get the same answer: "check your inbox" (confirmation on,
whether optional or mandatory) or "your account is ready, log in" (no confirmation); neither
signs in. The owner of a known address gets an email saying someone tried to sign up with it.

Its own module for the reason login_form.py gives: allauth's forms load the sign-up extension
from forms.py."""

from allauth.account import app_settings
from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.signals import user_signed_up
from allauth.account.utils import complete_signup, filter_users_by_email, perform_login
from django.contrib import messages
from django.contrib.auth.hashers import make_password
from django.shortcuts import redirect

NONE = app_settings.EmailVerificationMethod.NONE
MANDATORY = app_settings.EmailVerificationMethod.MANDATORY
ACCOUNT_READY = (
    "Your account is ready: log in with your email and password. (If that address already had "
    "an account, we emailed its owner instead.)"
)


class SignupForm(AllauthSignupForm):
    def validate_unique_email(self, value):
        # allauth refuses a known address outright unless confirmation is mandatory: here it is
        # never refused, only remembered, and `finish_signup` answers as for a new one.
        email = get_adapter().validate_unique_email(value)
        self.account_already_exists = bool(filter_users_by_email(email))
        return email


def finish_signup(request, form, *, redirect_url):
    """The response to a valid sign-up form: the same for a new and a known address."""
    email = form.cleaned_data["email"]
    confirm = app_settings.EMAIL_VERIFICATION != NONE
    if form.account_already_exists:
        # As much work as creating the account, so that the answer takes as long.
        make_password(form.cleaned_data.get("password1"))
        if confirm:
            # allauth's own path for a known address: a "someone tried to sign up" email, and
            # the same "check your inbox" page and message a new address gets.
            return perform_login(
                request, None, email_verification=MANDATORY, signup=True, email=email
            )
        get_adapter().send_account_already_exists_mail(email)
        return account_ready(request)
    user = form.save(request)
    if confirm:
        # Confirmation first even when optional: the link signs in (LOGIN_ON_EMAIL_CONFIRMATION);
        # later logins of an unconfirmed account are still allowed under "optional".
        return complete_signup(request, user, MANDATORY, redirect_url)
    user_signed_up.send(sender=user.__class__, request=request, user=user)
    return account_ready(request)


def account_ready(request):
    messages.info(request, ACCOUNT_READY)
    return redirect("account_login")
