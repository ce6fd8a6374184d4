"""Webhooks' answers to what the apps below it announce (connected in ready()). Each runs inside
the write's transaction, so the outbox rows commit with the event or not at all."""

from django.dispatch import receiver

from apps.interactions.signals import interaction_logged
from apps.opportunities.signals import stage_moved
from apps.reminders.signals import follow_up_done
from apps.webhooks import payloads, services
from apps.webhooks.models import Endpoint, Event


def _subscribed(owner_id, event_type) -> bool:
    # Checked before building a payload: an account without webhooks pays one small query.
    return any(
        event_type in events
        for events in Endpoint.objects.filter(owner_id=owner_id, active=True).values_list(
            "events", flat=True
        )
    )


@receiver(interaction_logged, dispatch_uid="webhooks.conversation_logged")
def conversation_logged(sender, *, interaction, **kwargs):
    event = Event.CONVERSATION_LOGGED
    if _subscribed(interaction.owner_id, event):
        services.record_event(
            owner_id=interaction.owner_id, event_type=event, data=payloads.conversation(interaction)
        )


@receiver(stage_moved, dispatch_uid="webhooks.stage_changed")
def stage_changed(sender, *, opportunity, change, **kwargs):
    event = Event.STAGE_CHANGED
    if _subscribed(opportunity.owner_id, event):
        services.record_event(
            owner_id=opportunity.owner_id,
            event_type=event,
            data=payloads.stage_change(opportunity, change),
        )


@receiver(follow_up_done, dispatch_uid="webhooks.follow_up_done")
def follow_up_marked_done(sender, *, follow_up, **kwargs):
    event = Event.FOLLOW_UP_DONE
    if _subscribed(follow_up.owner_id, event):
        services.record_event(
            owner_id=follow_up.owner_id, event_type=event, data=payloads.follow_up_done(follow_up)
        )
