"""Allauth's two-factor forms with the product's rule for every form: characters no database
stores are refused with a form error. Its own module for the reason login_form.py gives."""

from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as AllauthReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm

from apps.core.forms import StorableInputMixin


class AuthenticateForm(StorableInputMixin, AllauthAuthenticateForm):
    pass


class ReauthenticateForm(StorableInputMixin, AllauthReauthenticateForm):
    pass


class ActivateTOTPForm(StorableInputMixin, AllauthActivateTOTPForm):
    pass
