"""Webhooks' answers to what the apps below it announce (connected in ready()). Each runs inside
the write's transaction, so the outbox rows commit with the event or not at all. An account
without endpoints pays one small query per event and no payload is built."""

from django.dispatch import receiver

from apps.interactions.signals import interaction_logged
from apps.opportunities.signals import stage_moved
from apps.reminders.signals import follow_up_done
from apps.webhooks import payloads, services
from apps.webhooks.models import Event


def _record(owner_id, event_type, build) -> None:
    endpoints = services.subscribed(owner_id=owner_id, event_type=event_type)
    if endpoints:
        services.record_event(
            owner_id=owner_id, event_type=event_type, data=build(), endpoints=endpoints
        )


@receiver(interaction_logged, dispatch_uid="webhooks.conversation_logged")
def conversation_logged(sender, *, interaction, **kwargs):
    _record(
        interaction.owner_id, Event.CONVERSATION_LOGGED, lambda: payloads.conversation(interaction)
    )


@receiver(stage_moved, dispatch_uid="webhooks.stage_changed")
def stage_changed(sender, *, opportunity, change, **kwargs):
    _record(
        opportunity.owner_id,
        Event.STAGE_CHANGED,
        lambda: payloads.stage_change(opportunity, change),
    )


@receiver(follow_up_done, dispatch_uid="webhooks.follow_up_done")
def follow_up_marked_done(sender, *, follow_up, **kwargs):
    _record(follow_up.owner_id, Event.FOLLOW_UP_DONE, lambda: payloads.follow_up_done(follow_up))
