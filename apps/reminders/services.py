"""Writes for follow-ups. Other apps call these; they never write FollowUp rows themselves."""

from django.db import transaction

from apps.reminders.models import FollowUp, FollowUpStatus


@transaction.atomic
def create_follow_up(
    *, owner, contact, due_at, note="", opportunity=None, source_interaction=None
) -> FollowUp:
    """`due_at` is an aware datetime (the caller resolves the user's local wall time)."""
    return FollowUp.objects.create(
        owner=owner, contact=contact, due_at=due_at, note=note, opportunity=opportunity,
        source_interaction=source_interaction, status=FollowUpStatus.OPEN,
    )


def complete_follow_up(*, owner, follow_up: FollowUp) -> FollowUp:
    """Mark a follow-up done (refined by the reminders feature)."""
    from django.utils import timezone

    FollowUp.objects.owned_by(owner).filter(pk=follow_up.pk, status=FollowUpStatus.OPEN).update(
        status=FollowUpStatus.DONE, completed_at=timezone.now()
    )
    follow_up.refresh_from_db()
    return follow_up


def sync_cadence(*, contacts) -> None:
    """Keep one open cadence follow-up per contact with a cadence (built by the reminders
    feature); called after interactions are logged or deleted and after a cadence changes."""
