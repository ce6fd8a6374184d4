"""Interactions' answers to what the apps below it announce (connected in ready())."""

from django.dispatch import receiver

from apps.interactions import selectors
from apps.reminders.signals import weekly_review_figures


@receiver(weekly_review_figures, dispatch_uid="interactions.weekly_figures")
def weekly_figures(sender, *, user, since, until, **kwargs):
    return selectors.weekly_figures(user=user, since=since, until=until)
