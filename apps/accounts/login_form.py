"""Allauth's login form in the product's words. Its own module: allauth's forms import the
sign-up extension in forms.py while loading, so forms.py must not import allauth's forms."""

from allauth.account.forms import LoginForm as AllauthLoginForm

from apps.core.forms import StorableInputMixin


class LoginForm(StorableInputMixin, AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = "Remember me"
