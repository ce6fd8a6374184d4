from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from apps.core.models import OwnedModel


class FollowUpStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELED = "canceled", "Canceled"


class FollowUpKind(models.TextChoices):
    FOLLOW_UP = "follow_up", "Follow-up"
    PROMISE = "promise", "Promise"
    THANK_YOU = "thank_you", "Thank-you"
    CLOSE_LOOP = "close_loop", "Tell them how it went"
    INTERVIEW_THANKS = "interview_thanks", "Interview thank-you"


# What each kind reads as in a subject line, a calendar entry and on Today.
KIND_HEADLINE = {
    FollowUpKind.FOLLOW_UP: "Follow up with {contact}",
    FollowUpKind.PROMISE: "You promised {contact}",
    FollowUpKind.THANK_YOU: "Thank {contact}",
    FollowUpKind.CLOSE_LOOP: "Tell {contact} how it went",
    FollowUpKind.INTERVIEW_THANKS: "Thank {contact} for the interview",
}


class FollowUp(OwnedModel):
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="followups"
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followups",
    )
    source_interaction = models.ForeignKey(
        "interactions.Interaction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followups",
    )
    # The interview an interview thank-you follows.
    interview = models.ForeignKey(
        "opportunities.InterviewRound",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followups",
    )
    # The contact an introducer is thanked for introducing: one thank-you per introduction.
    introduction = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="introduction_thanks",
    )
    # The user's local wall time, converted to UTC when saved (see services).
    due_at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True, validators=[MaxLengthValidator(300)])
    status = models.CharField(
        max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    kind = models.CharField(
        max_length=20, choices=FollowUpKind.choices, default=FollowUpKind.FOLLOW_UP
    )
    # Keep-in-touch follow-ups are created and moved by the contact's cadence.
    is_cadence = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"],
                condition=Q(is_cadence=True, status="open"),
                name="reminders_one_open_cadence_per_contact",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "status", "due_at"]),
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["owner", "kind", "status"]),
        ]

    def __str__(self):
        return f"{self.headline} ({self.due_at:%Y-%m-%d %H:%M})"

    @property
    def headline(self) -> str:
        return KIND_HEADLINE[self.kind].format(contact=self.contact)

    @property
    def is_promise(self) -> bool:
        return self.kind == FollowUpKind.PROMISE

    def get_absolute_url(self):
        # Its page is the edit form: there is no separate read-only view.
        return reverse("reminders:followup_edit", kwargs={"pk": self.pk})


class DeliveryKind(models.TextChoices):
    REMINDER = "reminder", "Reminder"
    DIGEST = "digest", "Daily digest"
    WEEKLY = "weekly", "Weekly review"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    # A digest with nothing to list: the row still records that the day was handled.
    SKIPPED = "skipped", "Skipped (nothing due)"


class Delivery(OwnedModel):
    """One email that must go out once: the outbox row is the truth, Celery only delivers it.

    Reminders are keyed by (follow-up, due time) so a snoozed follow-up gets a new row; digests
    and weekly reviews are keyed by (user, kind, local date).
    """

    kind = models.CharField(max_length=10, choices=DeliveryKind.choices)
    follow_up = models.ForeignKey(
        FollowUp, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    # When it was due (a follow-up's due time, or the digest's local hour), in UTC.
    due_at = models.DateTimeField()
    local_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    created_at = models.DateTimeField()
    # Last time a send task was queued for it; the sweep re-queues rows stuck past the lease.
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-due_at", "-pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "due_at"],
                condition=Q(kind="reminder"),
                name="reminders_one_delivery_per_due_time",
            ),
            models.UniqueConstraint(
                fields=["owner", "kind", "local_date"],
                condition=~Q(kind="reminder"),
                name="reminders_one_summary_per_local_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "claimed_at"]),
            models.Index(fields=["owner", "-due_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def dwell(self):
        """Due → sent: how late the email left."""
        if self.sent_at is None:
            return None
        return self.sent_at - self.due_at


class UsedToken(models.Model):
    """Nonces of one-click email links already acted on: each link works once."""

    nonce = models.CharField(max_length=32, unique=True)
    action = models.CharField(max_length=20)
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField()

    def __str__(self):
        return f"{self.action} {self.nonce}"


class BacklogAction(models.TextChoices):
    SPREAD = "spread", "Spread over working days"
    DONE = "done", "Marked done"


class BacklogBatch(OwnedModel):
    """One "clear the backlog" step, kept so that it can be undone for a short while."""

    action = models.CharField(max_length=10, choices=BacklogAction.choices)
    days = models.PositiveSmallIntegerField(null=True, blank=True)
    count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self):
        return f"{self.get_action_display()}: {self.count} follow-ups"


class BacklogItem(models.Model):
    """What one follow-up looked like before the batch changed it."""

    batch = models.ForeignKey(BacklogBatch, on_delete=models.CASCADE, related_name="items")
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=FollowUpStatus.choices)
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.batch_id}: {self.follow_up_id}"


class NextStepDismissal(OwnedModel):
    """A suggested ask for a target company that the user snoozed (until a date) or dismissed
    (until is empty): Today stops suggesting it."""

    organization = models.ForeignKey(
        "contacts.Organization", on_delete=models.CASCADE, related_name="next_step_dismissals"
    )
    until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "organization"], name="reminders_one_dismissal_per_org"
            ),
        ]

    def __str__(self):
        return f"Suggestions for {self.organization} {'snoozed' if self.until else 'dismissed'}"
