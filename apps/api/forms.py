from django import forms

from apps.api.models import ApiToken, Scope
from apps.core.forms import Form


class TokenForm(Form):
    name = forms.CharField(
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text="What uses it, e.g. “calendar script”.",
        error_messages={"required": "Name the token so you can tell it apart later."},
    )
    scope = forms.ChoiceField(
        choices=Scope.choices, initial=Scope.READ, widget=forms.RadioSelect, label="Access"
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Name the token so you can tell it apart later.")
        return name
