"""Webhooks' answers to what the apps below it announce (connected in ready()). Each runs inside
the write's transaction, so the outbox rows commit with the event or not at all. An account
without endpoints pays one small query per event and no payload is built. A signal carrying a
list (a backlog marked done, the promises it kept) is one batch of events: the same few queries
for one row or a thousand."""

from django.dispatch import receiver

from apps.interactions.signals import interactions_logged
from apps.opportunities.signals import stage_moved
from apps.reminders.signals import follow_ups_done
from apps.webhooks import payloads, services
from apps.webhooks.models import Event


def _record(owner_id, event_type, build) -> None:
    endpoints = services.subscribed(owner_id=owner_id, event_type=event_type)
    if endpoints:
        services.record_event(
            owner_id=owner_id, event_type=event_type, data=build(), endpoints=endpoints
        )


def _record_each(rows, event_type, build) -> None:
    """One event per row, per owner (a batch is one owner's in practice), built by `build`
    from the owner's rows in one go."""
    by_owner = {}
    for row in rows:
        by_owner.setdefault(row.owner_id, []).append(row)
    for owner_id, owned in by_owner.items():
        endpoints = services.subscribed(owner_id=owner_id, event_type=event_type)
        if endpoints:
            services.record_events(
                owner_id=owner_id, event_type=event_type, data=build(owned), endpoints=endpoints
            )


@receiver(interactions_logged, dispatch_uid="webhooks.conversations_logged")
def conversations_logged(sender, *, interactions, **kwargs):
    _record_each(interactions, Event.CONVERSATION_LOGGED, payloads.conversations)


@receiver(stage_moved, dispatch_uid="webhooks.stage_changed")
def stage_changed(sender, *, opportunity, change, **kwargs):
    _record(
        opportunity.owner_id,
        Event.STAGE_CHANGED,
        lambda: payloads.stage_change(opportunity, change),
    )


@receiver(follow_ups_done, dispatch_uid="webhooks.follow_ups_done")
def follow_ups_marked_done(sender, *, follow_ups, **kwargs):
    _record_each(follow_ups, Event.FOLLOW_UP_DONE, payloads.follow_ups_done)
