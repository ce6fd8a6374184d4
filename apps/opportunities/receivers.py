"""Opportunities' answers to what the apps below it announce (connected in ready())."""

from django.dispatch import receiver

from apps.contacts.signals import merging
from apps.opportunities import services


@receiver(merging, dispatch_uid="opportunities.drop_duplicate_roles")
def drop_duplicate_roles(sender, *, survivor, other, **kwargs):
    services.drop_duplicate_roles(survivor=survivor, other=other)
