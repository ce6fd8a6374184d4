import secrets
import zoneinfo

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from apps.core import localtime


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone (for example Europe/Berlin).")


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class ReminderMode(models.TextChoices):
    EACH = "each", "An email for each follow-up, when it is due"
    DIGEST = "digest", "One daily digest"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class User(AbstractBaseUser, PermissionsMixin):
    """A job seeker. Email is the login; there is no username."""

    email = models.EmailField("email address", max_length=254, unique=True)
    name = models.CharField(max_length=150, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    timezone = models.CharField(
        "time zone",
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text="Reminders and “today” follow this zone, daylight saving included.",
    )
    reminder_emails_enabled = models.BooleanField("send me reminder emails", default=True)
    reminder_mode = models.CharField(
        max_length=10, choices=ReminderMode.choices, default=ReminderMode.EACH
    )
    digest_hour = models.PositiveSmallIntegerField(
        "daily digest hour",
        default=8,
        validators=[MaxValueValidator(23)],
        help_text="Local hour (0–23) the daily digest is sent.",
    )
    weekly_review_enabled = models.BooleanField("send me a weekly review", default=True)
    weekly_review_day = models.PositiveSmallIntegerField(
        choices=Weekday.choices, default=Weekday.SUNDAY
    )
    calendar_token = models.CharField(max_length=64, default=new_calendar_token, unique=True)

    target_conversations_per_week = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(0), MaxValueValidator(500)]
    )
    target_new_contacts_per_week = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(0), MaxValueValidator(500)]
    )
    target_referral_asks_per_week = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(0), MaxValueValidator(500)]
    )
    # Things given (an intro, a job post, advice): the give side of give-before-ask.
    target_given_per_week = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(0), MaxValueValidator(500)]
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.email

    @property
    def zone(self):
        return localtime.user_zone(self)

    def local_now(self):
        return localtime.local_now(self)
