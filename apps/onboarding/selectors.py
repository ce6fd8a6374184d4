"""Reads for the first run: is the account empty, is the sample in it."""

from apps.contacts.models import Contact
from apps.onboarding.models import SampleRecord


def is_empty(user) -> bool:
    return not Contact.objects.owned_by(user).exists()


def has_sample(user) -> bool:
    return SampleRecord.objects.owned_by(user).exists()
