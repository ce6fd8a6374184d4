from django.db import models

from apps.core.models import OwnedModel


class SampleRecord(OwnedModel):
    """One row the sample data made ("contacts.contact", 12): removing the sample deletes
    exactly these rows, never one the user added."""

    shown_in_account_counts = False

    model = models.CharField(max_length=60)
    object_pk = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "owner", "model", "object_pk", name="onboarding_sample_record_unique"
            )
        ]

    def __str__(self):
        return f"{self.model} {self.object_pk}"
