from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from apps.contacts.models import NOTES_MAX
from apps.core.choices import Channel
from apps.core.models import OwnedModel


class Direction(models.TextChoices):
    OUTBOUND = "outbound", "I reached out"
    INBOUND = "inbound", "They reached out"
    MUTUAL = "mutual", "Mutual"


class Kind(models.TextChoices):
    MESSAGE = "message", "Message"
    CALL = "call", "Call"
    MEETING = "meeting", "Meeting"
    EVENT = "event", "Event"
    COMMENT = "comment", "Comment"
    LIKE = "like", "Like"


# Likes and comments keep a relationship warm but are not conversations: reports count them apart.
LOW_WEIGHT_KINDS = [Kind.COMMENT, Kind.LIKE]
MAX_MINUTES = 24 * 60


class Interaction(OwnedModel):
    occurred_at = models.DateTimeField("when", default=timezone.now)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.OTHER)
    direction = models.CharField(
        max_length=10, choices=Direction.choices, default=Direction.OUTBOUND
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MESSAGE)
    minutes = models.PositiveIntegerField(
        "minutes spent",
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_MINUTES)],
    )
    gave = models.CharField("what I gave", max_length=300, blank=True)
    asked = models.CharField("what I asked", max_length=300, blank=True)
    asked_referral = models.BooleanField("I asked for a referral", default=False)
    summary = models.CharField(max_length=300)
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(NOTES_MAX)])
    contacts = models.ManyToManyField("contacts.Contact", related_name="interactions")
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
    )
    # The promise whose keeping this give records: reopening the promise removes it again.
    kept_promise = models.OneToOneField(
        "reminders.FollowUp",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kept_give",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "-occurred_at"]),
            # Covers the list's totals (count, minutes, kinds, referral asks): narrow enough
            # that an index-only scan beats reading the table's rows.
            models.Index(
                fields=["owner"],
                include=["kind", "minutes", "asked_referral"],
                name="interactions_totals_idx",
            ),
            models.Index(fields=["owner", "channel", "occurred_at"]),
            models.Index(fields=["owner", "kind", "occurred_at"]),
        ]

    def __str__(self):
        return self.summary

    def get_absolute_url(self):
        # Its page is the edit form: there is no separate read-only view.
        return reverse("interactions:edit", kwargs={"pk": self.pk})

    @property
    def is_low_weight(self) -> bool:
        return self.kind in LOW_WEIGHT_KINDS


class TemplatePurpose(models.TextChoices):
    INTRO_REQUEST = "intro_request", "Introduction request"
    REFERRAL_ASK = "referral_ask", "Referral ask"
    THANK_YOU = "thank_you", "Thank-you after a referral"
    CHECK_IN = "check_in", "Check-in that offers something"
    OTHER = "other", "Other"


class OutreachTemplate(OwnedModel):
    """A message the user sends often, with {merge fields} filled in when used (never rendered
    by the template engine: see apps.interactions.outreach)."""

    name = models.CharField(max_length=100)
    purpose = models.CharField(
        max_length=20, choices=TemplatePurpose.choices, default=TemplatePurpose.OTHER
    )
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(validators=[MaxLengthValidator(5000)])
    # What using it records on the conversation it logs.
    gives = models.CharField("what it gives", max_length=300, blank=True)
    asks = models.CharField("what it asks", max_length=300, blank=True)
    asks_referral = models.BooleanField("it asks for a referral", default=False)
    follow_up_days = models.PositiveSmallIntegerField(
        "follow up after (days)",
        null=True,
        blank=True,
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["purpose", "name", "pk"]
        constraints = [
            models.UniqueConstraint("owner", Lower("name"), name="interactions_template_name_ci"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("interactions:template_edit", kwargs={"pk": self.pk})
