from django import forms

from apps.capture.invites import MAX_INVITE_BYTES
from apps.capture.pages import MAX_SOURCE
from apps.core.forms import Form

URL_MAX = 2_000


class CaptureForm(Form):
    """What the bookmarklet, the share sheet or a paste sends about a page."""

    url = forms.CharField(label="Address", max_length=URL_MAX, required=False)
    title = forms.CharField(max_length=1_000, required=False)
    text = forms.CharField(max_length=URL_MAX, required=False, widget=forms.HiddenInput)
    source = forms.CharField(
        label="Page source or JSON-LD",
        required=False,
        max_length=MAX_SOURCE,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text="Optional: paste a job posting's page source (Ctrl+U) or its JSON-LD.",
        error_messages={"max_length": "That is more than 2 MB; paste only the page's head."},
    )

    def clean(self):
        data = super().clean()
        # Share sheets often send the address inside `text`.
        if not data.get("url") and data.get("text"):
            for word in data["text"].split():
                if word.startswith(("http://", "https://")):
                    data["url"] = word
                    break
        if not (data.get("url") or data.get("title") or data.get("source")) and not self.errors:
            raise forms.ValidationError("Send an address, a title or a page's source.")
        return data


class InviteForm(Form):
    """An invitation dropped or uploaded as a file, or pasted."""

    file = forms.FileField(
        label="Invitation (.ics)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,text/calendar"}),
        help_text="Drop the .ics file from the invitation email here, or choose it.",
    )
    text = forms.CharField(
        label="…or paste it",
        required=False,
        max_length=MAX_INVITE_BYTES,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        error_messages={
            "max_length": "That is larger than 1 MB; an invitation is a few kilobytes."
        },
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_INVITE_BYTES:
                raise forms.ValidationError(
                    "That file is larger than 1 MB; an invitation is a few kilobytes."
                )
            data["ics"] = upload.read()
        elif data.get("text"):
            data["ics"] = data["text"]
        elif not self.errors:
            raise forms.ValidationError("Choose the invitation's .ics file, or paste it.")
        return data
