from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from apps.core.choices import Channel
from apps.core.models import OwnedModel

NOTES_MAX = 20_000


class Organization(OwnedModel):
    name = models.CharField(max_length=200)
    website = models.URLField(max_length=300, blank=True)
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(NOTES_MAX)])
    is_target = models.BooleanField("target company", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [Lower("name")]
        constraints = [
            models.UniqueConstraint("owner", Lower("name"), name="contacts_org_name_ci_unique"),
        ]
        indexes = [models.Index(fields=["owner", "is_target"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contacts:organization_detail", kwargs={"pk": self.pk})


class Tag(OwnedModel):
    name = models.CharField(max_length=50)

    class Meta:
        ordering = [Lower("name")]
        constraints = [
            models.UniqueConstraint("owner", Lower("name"), name="contacts_tag_name_ci_unique"),
        ]

    def __str__(self):
        return self.name


class Warmth(models.TextChoices):
    COLD = "cold", "Cold"
    WARM = "warm", "Warm"
    CLOSE = "close", "Close"


# Who counts as a warm way in (paths to a referral, target companies, people going cold).
WARM_OR_CLOSE = (Warmth.WARM, Warmth.CLOSE)


class AddedVia(models.TextChoices):
    """How a contact came into the account: imported rows are not people met."""

    HAND = "hand", "Added by hand"
    IMPORT = "import", "Imported"


class Contact(OwnedModel):
    full_name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    title = models.CharField(max_length=200, blank=True)
    linkedin_url = models.CharField(
        "LinkedIn URL",
        max_length=300,
        blank=True,
        help_text="Stored normalized: https://www.linkedin.com/in/slug",
    )
    twitter_handle = models.CharField("X / Twitter handle", max_length=50, blank=True)
    facebook_url = models.CharField(
        "Facebook profile",
        max_length=300,
        blank=True,
        help_text="Stored normalized: https://www.facebook.com/slug",
    )
    instagram_handle = models.CharField("Instagram handle", max_length=50, blank=True)
    location = models.CharField(max_length=200, blank=True)
    channel = models.CharField(
        "how we met", max_length=20, choices=Channel.choices, default=Channel.OTHER
    )
    introduced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="introduced"
    )
    warmth = models.CharField(max_length=10, choices=Warmth.choices, default=Warmth.COLD)
    cadence_days = models.PositiveSmallIntegerField(
        "keep in touch every (days)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="contacts")
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(NOTES_MAX)])
    connected_on = models.DateField(null=True, blank=True)
    archived = models.BooleanField(default=False)
    added_via = models.CharField(max_length=10, choices=AddedVia.choices, default=AddedVia.HAND)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_interaction_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = [Lower("full_name"), "pk"]
        constraints = [
            models.UniqueConstraint(
                "owner",
                Lower("email"),
                condition=~Q(email=""),
                name="contacts_contact_email_ci_unique",
            ),
            models.UniqueConstraint(
                "owner",
                "linkedin_url",
                condition=~Q(linkedin_url=""),
                name="contacts_contact_linkedin_unique",
            ),
            models.UniqueConstraint(
                "owner",
                "facebook_url",
                condition=~Q(facebook_url=""),
                name="contacts_contact_facebook_unique",
            ),
            models.UniqueConstraint(
                "owner",
                "instagram_handle",
                condition=~Q(instagram_handle=""),
                name="contacts_contact_instagram_unique",
            ),
        ]
        indexes = [
            models.Index("owner", "archived", Lower("full_name"), name="contacts_owner_name_idx"),
            models.Index(fields=["owner", "archived", "last_interaction_at"]),
            models.Index(fields=["owner", "archived", "created_at"]),
            models.Index(fields=["owner", "organization"]),
            models.Index(fields=["owner", "channel"]),
            # The list's count of active contacts: an index-only scan of a narrow index.
            models.Index(
                fields=["owner"], condition=Q(archived=False), name="contacts_active_owner_idx"
            ),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("contacts:detail", kwargs={"pk": self.pk})


class NotDuplicate(OwnedModel):
    """Two contacts the user said are different people: never suggested as duplicates again.
    Stored once per pair, the lower id first."""

    first = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("owner", "first", "second", name="contacts_not_duplicate_once"),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="contacts_not_duplicate_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.first_id} ≠ {self.second_id}"


class PastEmployment(OwnedModel):
    """An organization a contact worked at before: with their current one (Contact.organization)
    it is their employment history, which paths to a referral walk ("worked there", "both at")."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="past_employments")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="past_employees"
    )
    until = models.PositiveSmallIntegerField(
        "until (year)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [models.F("until").desc(nulls_last=True), "pk"]
        constraints = [
            models.UniqueConstraint(
                "contact", "organization", name="contacts_past_employment_once"
            ),
        ]
        indexes = [models.Index(fields=["owner", "organization"])]

    def __str__(self):
        until = f" until {self.until}" if self.until else ""
        return f"{self.contact_id} at {self.organization_id}{until}"
