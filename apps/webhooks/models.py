import secrets

from django.db import models
from django.urls import reverse

from apps.core.models import OwnedModel


class Event(models.TextChoices):
    CONVERSATION_LOGGED = "conversation.logged", "A conversation is logged"
    STAGE_CHANGED = "opportunity.stage_changed", "An opportunity changes stage"
    FOLLOW_UP_DONE = "follow_up.done", "A follow-up is marked done"


# Sent from the page's "Send test event" only, to one endpoint, whatever it subscribes to.
PING = "ping"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class Endpoint(OwnedModel):
    """A URL the user registered to receive signed POSTs for the events it subscribes to."""

    url = models.URLField(max_length=500)
    # Kept as is, not hashed: every POST is signed with it. Shown on the settings page only.
    secret = models.CharField(max_length=80, default=new_secret)
    events = models.JSONField(default=list)  # values of Event
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["owner", "active"])]

    # A credential, not the user's records: the signing secret never leaves this page, not even
    # in the account export.
    in_account_export = False

    def __str__(self):
        return self.url

    def get_absolute_url(self):
        return reverse("webhooks:endpoints") + f"#endpoint-{self.pk}"

    def event_labels(self) -> list[str]:
        return [label for value, label in Event.choices if value in self.events]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"  # its endpoint was paused before it went out


class WebhookDelivery(OwnedModel):
    """The outbox: one row per event per subscribed endpoint, written in the event's own
    transaction. The row is the truth; Celery only carries its id to a worker that claims it."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField(max_length=40)
    # One id per event: the same event sent to two endpoints, or sent twice after a lost
    # response, carries the same id, so a receiver can drop a copy.
    event_id = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="webhook_event_once")
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["endpoint", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.event_type} → {self.endpoint_id} ({self.status})"
