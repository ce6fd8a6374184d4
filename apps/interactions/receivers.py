"""Interactions' answers to what the apps below it announce (connected in ready())."""

from django.dispatch import receiver

from apps.interactions import selectors, services
from apps.reminders.models import FollowUpKind
from apps.reminders.signals import follow_up_done, follow_up_reopened, weekly_review_figures


@receiver(weekly_review_figures, dispatch_uid="interactions.weekly_figures")
def weekly_figures(sender, *, user, since, until, **kwargs):
    return selectors.weekly_figures(user=user, since=since, until=until)


@receiver(follow_up_done, dispatch_uid="interactions.kept_promise")
def kept_promise(sender, *, follow_up, **kwargs):
    if follow_up.kind == FollowUpKind.PROMISE:
        services.record_kept_promise(follow_up=follow_up)


@receiver(follow_up_reopened, dispatch_uid="interactions.reopened_promise")
def reopened_promise(sender, *, follow_up, **kwargs):
    if follow_up.kind == FollowUpKind.PROMISE:
        services.forget_kept_promise(follow_up=follow_up)
