from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q

from apps.core.models import OwnedModel


class FollowUpStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELED = "canceled", "Canceled"


class FollowUp(OwnedModel):
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="followups"
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="followups",
    )
    source_interaction = models.ForeignKey(
        "interactions.Interaction", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="followups",
    )
    # The user's local wall time, converted to UTC when saved (see services).
    due_at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True, validators=[MaxLengthValidator(300)])
    status = models.CharField(
        max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    # Keep-in-touch follow-ups are created and moved by the contact's cadence.
    is_cadence = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"], condition=Q(is_cadence=True, status="open"),
                name="reminders_one_open_cadence_per_contact",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "status", "due_at"]),
            models.Index(fields=["status", "due_at"]),
        ]

    def __str__(self):
        return f"Follow up with {self.contact} ({self.due_at:%Y-%m-%d %H:%M})"
