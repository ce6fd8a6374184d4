from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from apps.contacts.models import NOTES_MAX
from apps.core.choices import Channel
from apps.core.models import OwnedModel


class Stage(models.TextChoices):
    IDENTIFIED = "identified", "Identified"
    NETWORKING = "networking", "Networking"
    REFERRED = "referred", "Referred"
    APPLIED = "applied", "Applied"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


CLOSED_STAGES = [Stage.ACCEPTED, Stage.REJECTED, Stage.WITHDRAWN]
# In the order a search moves through them, as Stage lists them.
OPEN_STAGES = [stage for stage in Stage if stage not in CLOSED_STAGES]


class PersonRole(models.TextChoices):
    REFERRER = "referrer", "Referrer"
    INTRODUCER = "introducer", "Introducer"
    INSIDER = "insider", "Insider"
    RECRUITER = "recruiter", "Recruiter"
    HIRING_MANAGER = "hiring_manager", "Hiring manager"
    INTERVIEWER = "interviewer", "Interviewer"


class Opportunity(OwnedModel):
    role_title = models.CharField(max_length=200)
    organization = models.ForeignKey(
        "contacts.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
    )
    posting_url = models.URLField("link to the posting", max_length=500, blank=True)
    source_channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.OTHER)
    # Written only by apps.opportunities.services.move_to_stage, which also appends history.
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.IDENTIFIED)
    next_step = models.CharField(max_length=300, blank=True)
    next_step_due = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(NOTES_MAX)])
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    contacts = models.ManyToManyField(
        "contacts.Contact", through="OpportunityContact", related_name="opportunities"
    )

    class Meta:
        ordering = ["-updated_at", "pk"]
        verbose_name_plural = "opportunities"
        indexes = [
            models.Index(fields=["owner", "stage"]),
            models.Index(fields=["owner", "organization"]),
            # Every insights figure starts from the opportunities created in a date range.
            models.Index(fields=["owner", "created_at"]),
        ]

    def __str__(self):
        return f"{self.role_title} at {self.organization}" if self.organization else self.role_title

    def get_absolute_url(self):
        return reverse("opportunities:detail", kwargs={"pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.stage in CLOSED_STAGES


class OpportunityContact(OwnedModel):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="people")
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="opportunity_roles"
    )
    role = models.CharField(max_length=20, choices=PersonRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "contact", "role"], name="opportunities_person_role_unique"
            ),
        ]
        indexes = [models.Index(fields=["owner", "role"])]

    def __str__(self):
        return f"{self.contact} ({self.get_role_display()})"


class StageChange(OwnedModel):
    """Append-only: one row per change of stage, the first stage included."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]
        indexes = [
            models.Index(fields=["opportunity", "changed_at"]),
            models.Index(fields=["owner", "to_stage", "changed_at"]),
        ]

    def __str__(self):
        return f"{self.from_stage or '—'} → {self.to_stage}"


class InterviewRound(OwnedModel):
    """One interview on an opportunity: when (stored in UTC, typed in the user's zone), who
    interviewed, what to prepare and how it went."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="interview_rounds"
    )
    title = models.CharField(max_length=200, help_text="e.g. “Technical screen”")
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(default=60)
    interviewers = models.ManyToManyField(
        "contacts.Contact", blank=True, related_name="interview_rounds"
    )
    prep_notes = models.TextField(blank=True, validators=[MaxLengthValidator(NOTES_MAX)])
    debrief = models.TextField(blank=True, validators=[MaxLengthValidator(NOTES_MAX)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["opportunity", "starts_at"]),
            models.Index(fields=["owner", "starts_at"]),
        ]

    def __str__(self):
        return f"{self.title} ({self.opportunity})"

    def get_absolute_url(self):
        return reverse("opportunities:detail", kwargs={"pk": self.opportunity_id})
