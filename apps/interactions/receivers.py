"""Interactions' answers to what the apps below it announce (connected in ready())."""

from django.dispatch import receiver

from apps.interactions import selectors, services
from apps.reminders.models import FollowUpKind
from apps.reminders.signals import follow_ups_done, follow_ups_reopened, weekly_review_figures


@receiver(weekly_review_figures, dispatch_uid="interactions.weekly_figures")
def weekly_figures(sender, *, user, since, until, **kwargs):
    return selectors.weekly_figures(user=user, since=since, until=until)


@receiver(follow_ups_done, dispatch_uid="interactions.kept_promises")
def kept_promises(sender, *, follow_ups, **kwargs):
    promises = [f for f in follow_ups if f.kind == FollowUpKind.PROMISE]
    if promises:
        services.record_kept_promises(follow_ups=promises)


@receiver(follow_ups_reopened, dispatch_uid="interactions.reopened_promises")
def reopened_promises(sender, *, follow_ups, **kwargs):
    promises = [f for f in follow_ups if f.kind == FollowUpKind.PROMISE]
    if promises:
        services.forget_kept_promises(follow_ups=promises)
