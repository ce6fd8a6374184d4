from django import forms

from apps.core.forms import Form
from apps.portability import formats
from apps.portability.models import ImportKind

NAME_FIELDS = {"full_name", "first_name", "last_name", "email", "linkedin_url"}


class UploadForm(Form):
    file = forms.FileField(
        label="File",
        help_text="LinkedIn's Connections.csv, a vCard (.vcf) or any CSV. Up to 10 MB and "
        "50,000 rows.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.vcf,.txt,text/csv,text/vcard"}),
        error_messages={
            "empty": "The file is empty.",
            "required": "Choose a file to import.",
        },
    )
    kind = forms.ChoiceField(
        label="Kind of file",
        choices=[("", "Detect automatically"), *ImportKind.choices],
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > formats.MAX_BYTES:
            raise forms.ValidationError(
                f"This file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{formats.MAX_BYTES // 1024 // 1024} MB. Split it into smaller files."
            )
        return upload


class MappingForm(Form):
    """One choice per column of the uploaded CSV: which contact field it fills."""

    def __init__(self, data=None, *, columns: list[str], initial_fields: dict[str, str]):
        super().__init__(data)
        self.columns = columns
        for index, column in enumerate(columns):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=column or f"Column {index + 1}",
                choices=formats.FIELD_CHOICES,
                required=False,
                initial=initial_fields.get(str(index), ""),
            )

    def clean(self):
        cleaned = super().clean()
        chosen = {value for value in cleaned.values() if value}
        if not chosen & NAME_FIELDS:
            raise forms.ValidationError(
                "Choose the column that holds the names (or at least the emails or LinkedIn "
                "URLs): without it we cannot tell who each row is."
            )
        return cleaned

    def field_mapping(self) -> dict[str, str]:
        return {
            name.removeprefix("col_"): value for name, value in self.cleaned_data.items() if value
        }
