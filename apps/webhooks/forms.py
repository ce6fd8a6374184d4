from django import forms

from apps.core.forms import Form
from apps.webhooks import services
from apps.webhooks.models import Endpoint, Event


class EndpointForm(Form):
    url = forms.CharField(
        label="Address (URL)",
        max_length=Endpoint._meta.get_field("url").max_length,
        help_text="Where Followthrough POSTs each event, e.g. https://example.com/hooks/followthrough.",
        error_messages={"required": "Enter the address that should receive the events."},
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "url"}),
    )
    events = forms.MultipleChoiceField(
        label="Send these events",
        choices=Event.choices,
        initial=Event.values,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event to send."},
    )

    def clean_url(self):
        try:
            return services.check_url(self.cleaned_data["url"])
        except services.WebhookError as exc:
            raise forms.ValidationError(str(exc)) from exc
