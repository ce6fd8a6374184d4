"""Writes for follow-ups and their delivery. Other apps call these; they never write FollowUp
rows themselves."""

import datetime as dt
import logging
import smtplib
import time
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from apps.accounts.models import ReminderMode, User
from apps.contacts.models import Contact
from apps.core.localtime import local_day_bounds, local_to_utc, working_days_after, zone_named
from apps.core.queue import enqueue
from apps.reminders import conf, emails, mailer, selectors
from apps.reminders.models import (
    BacklogAction,
    BacklogBatch,
    BacklogItem,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    NextStepDismissal,
    UsedToken,
)
from apps.reminders.signals import follow_ups_done, follow_ups_reopened

log = logging.getLogger(__name__)

SNOOZE_CHOICES = {1: "1 day", 3: "3 days", 7: "1 week"}


class FollowUpError(ValueError):
    """A change that cannot be made, with a message for the user."""


# --- follow-ups -------------------------------------------------------------------------------


@transaction.atomic
def create_follow_up(
    *,
    owner,
    contact,
    due_at,
    note="",
    opportunity=None,
    source_interaction=None,
    kind=FollowUpKind.FOLLOW_UP,
    interview=None,
    introduction=None,
) -> FollowUp:
    """`due_at` is an aware datetime (the caller resolves the user's local wall time)."""
    if kind not in FollowUpKind.values:
        raise FollowUpError(f"“{kind}” is not a kind of follow-up.")
    _check_owned(owner, contact, opportunity, source_interaction)
    _check_owned(owner, interview, introduction, None)
    return FollowUp.objects.create(
        owner=owner,
        contact=contact,
        due_at=due_at,
        note=note,
        opportunity=opportunity,
        source_interaction=source_interaction,
        status=FollowUpStatus.OPEN,
        kind=kind,
        interview=interview,
        introduction=introduction,
    )


@transaction.atomic
def offer_follow_up(*, owner, contact, kind, due_at, note="", opportunity=None, interview=None):
    """Create a follow-up the product suggests (a thank-you, closing the loop) unless the same
    one is already open: moving an opportunity back and forth must not pile them up."""
    existing = FollowUp.objects.owned_by(owner).filter(
        contact=contact,
        kind=kind,
        opportunity=opportunity,
        interview=interview,
        introduction=None,
        status=FollowUpStatus.OPEN,
    )
    found = existing.first()
    if found is not None:
        if note and found.note != note:
            found.note = note
            found.save(update_fields=["note", "updated_at"])
        return found
    return create_follow_up(
        owner=owner,
        contact=contact,
        due_at=due_at,
        note=note,
        opportunity=opportunity,
        kind=kind,
        interview=interview,
    )


@transaction.atomic
def update_follow_up(*, owner, follow_up: FollowUp, contact, due_at, note="", opportunity=None):
    _check_owned(owner, contact, opportunity, None)
    locked = _lock(owner, follow_up)
    locked.contact = contact
    locked.opportunity = opportunity
    locked.due_at = due_at
    locked.note = note
    locked.save(update_fields=["contact", "opportunity", "due_at", "note", "updated_at"])
    return locked


def complete_follow_up(*, owner, follow_up: FollowUp) -> FollowUp:
    """Mark a follow-up done. Completing a cadence follow-up schedules the next one."""
    return _close(owner, follow_up, FollowUpStatus.DONE)


def cancel_follow_up(*, owner, follow_up: FollowUp) -> FollowUp:
    """Cancel a follow-up; for a cadence one this skips one round (the next one comes back)."""
    return _close(owner, follow_up, FollowUpStatus.CANCELED)


@transaction.atomic
def _close(owner, follow_up: FollowUp, status: str) -> FollowUp:
    locked = _lock(owner, follow_up)
    if locked.status != FollowUpStatus.OPEN:
        return locked
    locked.status = status
    locked.completed_at = timezone.now()
    locked.save(update_fields=["status", "completed_at", "updated_at"])
    if locked.is_cadence:
        sync_cadence(contacts=[locked.contact])
    if status == FollowUpStatus.DONE:
        announce_done([locked])
    return locked


def announce_done(follow_ups: list[FollowUp]) -> None:
    """What marking follow-ups done means beyond their rows (a kept promise becomes a give):
    the single call every way of marking done goes through, one follow-up or a whole backlog,
    as one signal for the lot, so its receivers cost the same for one row or a thousand."""
    if follow_ups:
        follow_ups_done.send(sender=FollowUp, follow_ups=follow_ups)


def announce_reopened(follow_ups: list[FollowUp]) -> None:
    """The undoing of `announce_done` for follow-ups that were done and are open again."""
    if follow_ups:
        follow_ups_reopened.send(sender=FollowUp, follow_ups=follow_ups)


@transaction.atomic
def reopen_follow_up(*, owner, follow_up: FollowUp) -> FollowUp:
    locked = _lock(owner, follow_up)
    if locked.status == FollowUpStatus.OPEN:
        return locked
    if locked.is_cadence:
        # A contact keeps exactly one open cadence follow-up; the current one stands.
        raise FollowUpError("Keep-in-touch follow-ups come back by themselves; edit the open one.")
    was_done = locked.status == FollowUpStatus.DONE
    locked.status = FollowUpStatus.OPEN
    locked.completed_at = None
    locked.save(update_fields=["status", "completed_at", "updated_at"])
    if was_done:
        announce_reopened([locked])
    return locked


def snooze_target(*, follow_up: FollowUp, zone, days: int | None = None, until=None) -> dt.datetime:
    """Keep the follow-up's local wall time; move its date `days` after today (or after its own
    date, if later), or to the picked date."""
    local_due = follow_up.due_at.astimezone(zone)
    if until is not None:
        day = until
    else:
        today = timezone.now().astimezone(zone).date()
        day = max(today, local_due.date()) + dt.timedelta(days=days)
    return local_to_utc(day, local_due.time(), zone)


@transaction.atomic
def snooze_follow_up(*, owner, follow_up: FollowUp, days: int | None = None, until=None):
    if (days is None) == (until is None):
        raise FollowUpError("Choose how long to snooze for.")
    if days is not None and days not in SNOOZE_CHOICES:
        raise FollowUpError("Snooze for 1 day, 3 days or a week, or pick a date.")
    locked = _lock(owner, follow_up)
    if locked.status != FollowUpStatus.OPEN:
        raise FollowUpError("This follow-up is no longer open.")
    if until is not None and until < owner.local_now().date():
        raise FollowUpError("Pick today or a later date.")
    locked.due_at = snooze_target(follow_up=locked, zone=owner.zone, days=days, until=until)
    locked.save(update_fields=["due_at", "updated_at"])
    return locked


@transaction.atomic
def keep_wall_times(*, owner, old_zone, new_zone) -> int:
    """After a change of time zone, open follow-ups keep their local date and time ("9:00"
    stays 9:00 where the user now lives). Returns how many moved."""
    moved = []
    for follow_up in FollowUp.objects.owned_by(owner).filter(status=FollowUpStatus.OPEN):
        local = follow_up.due_at.astimezone(old_zone)
        due = local_to_utc(local.date(), local.time().replace(tzinfo=None), new_zone)
        if due != follow_up.due_at:
            follow_up.due_at = due
            moved.append(follow_up)
    FollowUp.objects.bulk_update(moved, ["due_at"], batch_size=500)
    return len(moved)


def fold_cadence_follow_ups(*, survivor, other) -> None:
    """Inside a merge, before `other`'s rows move to `survivor`: one open keep-in-touch
    follow-up per contact (a database constraint), so keep the sooner one and cancel the
    other rather than deleting it."""
    open_cadence = FollowUp.objects.filter(
        contact__in=[survivor, other], is_cadence=True, status=FollowUpStatus.OPEN
    ).order_by("due_at", "pk")
    _keep, *extra = list(open_cadence) or [None]
    if extra:
        FollowUp.objects.filter(pk__in=[f.pk for f in extra]).update(status=FollowUpStatus.CANCELED)


def _lock(owner, follow_up: FollowUp) -> FollowUp:
    # Owner-scoped and row-locked: a click in an email and one on Today cannot interleave.
    return FollowUp.objects.owned_by(owner).select_for_update().get(pk=follow_up.pk)


def _check_owned(owner, contact, opportunity, interaction) -> None:
    for obj in (contact, opportunity, interaction):
        if obj is not None and obj.owner_id != owner.pk:
            raise FollowUpError("That record belongs to someone else.")


# --- clearing the backlog -------------------------------------------------------------------

UNDO_SECONDS = 60
MAX_SPREAD_DAYS = 30


def overdue_queryset(owner):
    """Open follow-ups due before the start of the owner's local today."""
    start, _ = local_day_bounds(owner.local_now().date(), owner.zone)
    return FollowUp.objects.owned_by(owner).filter(status=FollowUpStatus.OPEN, due_at__lt=start)


@transaction.atomic
def clear_backlog(*, owner, action: str, ids=None, days: int | None = None) -> BacklogBatch:
    """Spread the overdue follow-ups (the chosen `ids`, or all when None) over the next `days`
    working days, keeping each one's local wall time, or mark them done: one step, undoable
    for UNDO_SECONDS with `undo_backlog`."""
    if action not in BacklogAction.values:
        raise FollowUpError("Choose to spread the follow-ups or to mark them done.")
    if action == BacklogAction.SPREAD and not (days and 1 <= days <= MAX_SPREAD_DAYS):
        raise FollowUpError(f"Spread over 1 to {MAX_SPREAD_DAYS} working days.")
    rows = overdue_queryset(owner)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    rows = list(rows.select_for_update().order_by("due_at", "pk"))
    if not rows:
        raise FollowUpError("Nothing overdue to clear: choose at least one overdue follow-up.")
    now = timezone.now()
    # Batches only serve the undo: the owner's expired ones go (their items cascade).
    BacklogBatch.objects.owned_by(owner).filter(
        created_at__lt=now - dt.timedelta(seconds=UNDO_SECONDS)
    ).delete()
    batch = BacklogBatch.objects.create(
        owner=owner, action=action, days=days, count=len(rows), created_at=now
    )
    BacklogItem.objects.bulk_create(
        [
            BacklogItem(
                batch=batch,
                follow_up=row,
                due_at=row.due_at,
                status=row.status,
                completed_at=row.completed_at,
            )
            for row in rows
        ],
        batch_size=500,
    )
    if action == BacklogAction.SPREAD:
        zone = owner.zone
        targets = working_days_after(owner.local_now().date(), days)
        for index, row in enumerate(rows):
            # Oldest first: the longest-waiting follow-ups land on the first days.
            day = targets[index * days // len(rows)]
            row.due_at = local_to_utc(day, row.due_at.astimezone(zone).time(), zone)
            row.updated_at = now
        FollowUp.objects.bulk_update(rows, ["due_at", "updated_at"], batch_size=500)
    else:
        FollowUp.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=FollowUpStatus.DONE, completed_at=now, updated_at=now
        )
        cadence = [row.contact_id for row in rows if row.is_cadence]
        if cadence:
            sync_cadence(contacts=cadence)
        for row in rows:
            row.status, row.completed_at, row.updated_at = FollowUpStatus.DONE, now, now
        announce_done(rows)
    return batch


def undoable_batch(owner, *, now=None):
    """The owner's last backlog step while it can still be undone, else None."""
    now = now or timezone.now()
    return (
        BacklogBatch.objects.owned_by(owner)
        .filter(undone_at=None, created_at__gte=now - dt.timedelta(seconds=UNDO_SECONDS))
        .order_by("-created_at", "-pk")
        .first()
    )


@transaction.atomic
def undo_backlog(*, owner, batch_id) -> BacklogBatch:
    """Put every follow-up of the batch back as it was (due time, status, completion)."""
    batch = BacklogBatch.objects.owned_by(owner).select_for_update().filter(pk=batch_id).first()
    now = timezone.now()
    if batch is None or batch.undone_at is not None:
        raise FollowUpError("This change was already undone.")
    if batch.created_at < now - dt.timedelta(seconds=UNDO_SECONDS):
        raise FollowUpError("It is too late to undo this change; edit the follow-ups instead.")
    items = {item.follow_up_id: item for item in batch.items.all()}
    # A follow-up changed again since (done, snoozed, edited) keeps that newer change.
    rows = list(
        FollowUp.objects.owned_by(owner)
        .filter(pk__in=list(items), updated_at=batch.created_at)
        .select_for_update()
    )
    if batch.action == BacklogAction.DONE:
        # Marking a keep-in-touch follow-up done planned the next one: remove it again, so the
        # reopened one stays the contact's only open cadence follow-up.
        cadence_contacts = [row.contact_id for row in rows if row.is_cadence]
        FollowUp.objects.owned_by(owner).filter(
            contact_id__in=cadence_contacts,
            is_cadence=True,
            status=FollowUpStatus.OPEN,
            created_at__gte=batch.created_at,
        ).delete()
    for row in rows:
        item = items[row.pk]
        row.due_at, row.status, row.completed_at = item.due_at, item.status, item.completed_at
        row.updated_at = now
    FollowUp.objects.bulk_update(
        rows, ["due_at", "status", "completed_at", "updated_at"], batch_size=500
    )
    if batch.action == BacklogAction.DONE:
        announce_reopened([row for row in rows if row.status == FollowUpStatus.OPEN])
    batch.undone_at = now
    batch.save(update_fields=["undone_at"])
    return batch


@transaction.atomic
def hold_suggestions(*, owner, organization, days: int | None = None) -> NextStepDismissal:
    """Stop suggesting an ask at this company for `days`, or for good when days is None."""
    if organization.owner_id != owner.pk:
        raise FollowUpError("That record belongs to someone else.")
    until = timezone.now() + dt.timedelta(days=days) if days else None
    hold, _ = NextStepDismissal.objects.update_or_create(
        owner=owner, organization=organization, defaults={"until": until}
    )
    return hold


# --- keep-in-touch cadence --------------------------------------------------------------------


@transaction.atomic
def sync_cadence(*, contacts) -> None:
    """Give every contact with a cadence exactly one open cadence follow-up, due `cadence_days`
    after its last touch (last interaction, last cadence follow-up closed, or creation) at 09:00
    local; cancel it for contacts without a cadence. Called after interactions are logged or
    deleted and after a cadence changes."""
    ids = {getattr(contact, "pk", contact) for contact in contacts}
    if not ids:
        return
    rows = (
        Contact.objects.filter(pk__in=ids)
        .select_related("owner")
        .annotate(
            last_interaction=Max("interactions__occurred_at"),
            last_closed=Max("followups__completed_at", filter=Q(followups__is_cadence=True)),
        )
    )
    open_by_contact = {
        f.contact_id: f
        for f in FollowUp.objects.select_for_update().filter(
            contact_id__in=ids, is_cadence=True, status=FollowUpStatus.OPEN
        )
    }
    now = timezone.now()
    # Written together after the loop, a fixed number of queries however many contacts a
    # backlog or an import touches.
    to_create, to_cancel, to_move = [], [], []
    for contact in rows:
        current = open_by_contact.get(contact.pk)
        if not contact.cadence_days or contact.archived:
            if current is not None:
                to_cancel.append(current.pk)
            continue
        # The cadence counts from the last conversation (a contact added after a conversation
        # logged with a past date still counts from that conversation), or from the last time
        # the user closed a keep-in-touch follow-up without logging anything.
        touches = [contact.last_interaction or contact.created_at, contact.last_closed]
        last_touch = max(t for t in touches if t is not None)
        zone = contact.owner.zone
        day = last_touch.astimezone(zone).date() + dt.timedelta(days=contact.cadence_days)
        due = local_to_utc(day, conf.CADENCE_HOUR, zone)
        if current is None:
            to_create.append(
                FollowUp(
                    owner_id=contact.owner_id,
                    contact=contact,
                    due_at=due,
                    is_cadence=True,
                    note=f"Keep in touch (every {contact.cadence_days} days)",
                )
            )
        elif current.due_at != due and not (
            # A user who snoozed it past the computed date since the last touch keeps that date.
            current.due_at > due and current.updated_at > last_touch
        ):
            current.due_at, current.updated_at = due, now
            current.note = f"Keep in touch (every {contact.cadence_days} days)"
            to_move.append(current)
    if to_cancel:
        FollowUp.objects.filter(pk__in=to_cancel).update(
            status=FollowUpStatus.CANCELED, completed_at=now, updated_at=now
        )
    if to_move:
        FollowUp.objects.bulk_update(to_move, ["due_at", "note", "updated_at"], batch_size=500)
    if to_create:
        FollowUp.objects.bulk_create(to_create, batch_size=500)


# --- delivery: the sweep ----------------------------------------------------------------------


def collect_due(*, now: dt.datetime | None = None) -> list[int]:
    """Insert the delivery rows that are due and return the ids that need a send task, in
    the order to queue them: the rows this call created plus stuck rows (lease expired, task
    lost, retry time reached).

    Safe to run from any number of beats at once: the unique constraints let exactly one
    insert win, and a duplicate send task loses the claim in `deliver`.
    """
    now = now or timezone.now()
    with transaction.atomic():
        ids = _insert_reminder_rows(now)
        ids += _insert_summary_rows(now, DeliveryKind.DIGEST)
        ids += _insert_summary_rows(now, DeliveryKind.WEEKLY)
        ids += _requeue_stuck(now, exclude=ids)
    # In id order, the order the sweep queues them in: the queue's order that
    # `_requeue_stuck` reads back.
    return sorted(ids)


def _insert_reminder_rows(now) -> list[int]:
    delivery = Delivery._meta.db_table
    followup = FollowUp._meta.db_table
    user = User._meta.db_table
    # One INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING: only the rows really created come
    # back, on PostgreSQL and SQLite alike, so a row is queued by whichever beat inserted it.
    sql = f"""
        INSERT INTO {delivery}
            (owner_id, kind, follow_up_id, due_at, status, created_at, queued_at, attempts,
             last_error)
        SELECT f.owner_id, %s, f.id, f.due_at, %s, %s, %s, 0, ''
        FROM {followup} f INNER JOIN {user} u ON u.id = f.owner_id
        WHERE f.status = %s AND f.due_at <= %s AND f.due_at > %s
          AND u.is_active AND u.reminder_emails_enabled AND u.reminder_mode = %s
        ON CONFLICT DO NOTHING
        RETURNING id
    """  # noqa: S608 - table names come from model metadata, values are parameters
    # Datetimes go in as the database stores them (UTC text on SQLite), as the ORM would.
    db_now = connection.ops.adapt_datetimefield_value(now)
    earliest = connection.ops.adapt_datetimefield_value(now - conf.catch_up())
    params = [
        DeliveryKind.REMINDER,
        DeliveryStatus.PENDING,
        db_now,
        db_now,
        FollowUpStatus.OPEN,
        db_now,
        earliest,
        ReminderMode.EACH,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _insert_summary_rows(now, kind) -> list[int]:
    """Digests and weekly reviews: one row per user per local date, once the user's local hour
    has come (the first sweep at or after it; a skipped hour at spring-forward fires at the
    first minute that exists, a repeated hour at fall-back finds its row already there)."""
    users = User.objects.filter(is_active=True)
    if kind == DeliveryKind.DIGEST:
        users = users.filter(reminder_emails_enabled=True, reminder_mode=ReminderMode.DIGEST)
    else:
        users = users.filter(weekly_review_enabled=True)
    window = conf.digest_window_hours()
    rows = []
    # One query per distinct zone in use (a few dozen), not per user.
    for zone_name in users.values_list("timezone", flat=True).distinct().order_by():
        zone = zone_named(zone_name)
        local = now.astimezone(zone)
        in_zone = users.filter(timezone=zone_name)
        if kind == DeliveryKind.WEEKLY:
            in_zone = in_zone.filter(weekly_review_day=local.weekday())
        for user_id, hour in in_zone.values_list("pk", "digest_hour"):
            due = local_to_utc(local.date(), dt.time(hour), zone)
            if due <= now < due + dt.timedelta(hours=window):
                rows.append((user_id, due, local.date()))
    if not rows:
        return []
    delivery = Delivery._meta.db_table
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, 0, '')"] * len(rows))
    adapt = connection.ops.adapt_datetimefield_value
    params = []
    for user_id, due, day in rows:
        params += [user_id, kind, adapt(due), day, DeliveryStatus.PENDING, adapt(now), adapt(now)]
    sql = f"""
        INSERT INTO {delivery}
            (owner_id, kind, due_at, local_date, status, created_at, queued_at, attempts,
             last_error)
        VALUES {values}
        ON CONFLICT DO NOTHING
        RETURNING id
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _requeue_stuck(now, exclude) -> list[int]:
    """Pending rows whose send task vanished (worker killed mid-send, broker flushed) or whose
    retry time came: queue them again. The claim keeps a duplicate task harmless.

    A claimed row is stuck once its lease has expired since its claim. A row never claimed
    since it was queued may only be waiting behind a backlog (a task claims its rows when it
    starts, and 100,000 due rows take minutes to send): it counts as stuck only when its task
    must be gone, that is a lease after the queue passed it by (a row queued after it, the
    queue being first in first out, was claimed more than a lease ago) or when nothing at all
    was claimed for a lease (no worker takes anything off the queue)."""
    stale = now - conf.lease()
    pending = (
        Delivery.objects.filter(status=DeliveryStatus.PENDING, sent_at=None)
        .filter(Q(retry_at=None) | Q(retry_at__lte=now))
        .exclude(pk__in=exclude)
    )
    stuck = pending.filter(
        Q(claimed_at__lt=stale)
        | Q(claimed_at=None, queued_at=None)
        | Q(claimed_at=None, retry_at__lte=now, queued_at__lt=F("retry_at"))
    )
    ids = list(stuck.values_list("pk", flat=True)[:REQUEUE_LIMIT])
    waiting = pending.filter(claimed_at=None, queued_at__lt=stale).order_by("queued_at", "pk")
    passed = _passed_by_the_queue(waiting, stale=stale)
    if passed is not None:
        passed = passed.exclude(pk__in=ids).values_list("pk", flat=True)
        ids += list(passed[: REQUEUE_LIMIT - len(ids)])
    if ids:
        Delivery.objects.filter(pk__in=ids).update(queued_at=now)
    return ids


# At most this many rows re-queued per sweep: the next sweep takes the rest.
REQUEUE_LIMIT = 5000


def _passed_by_the_queue(waiting, *, stale):
    """The rows of `waiting` (never claimed since queued, queued over a lease ago, in queue
    order) whose task is gone, or None when there are none."""
    first = waiting.values_list("queued_at", flat=True).first()
    if first is None:
        return None
    # Every status, named: the (status, claimed_at) index then serves the claimed_at ranges.
    claimed = Delivery.objects.filter(status__in=DeliveryStatus.values)
    if not claimed.filter(claimed_at__gte=stale).exists():
        return waiting  # nothing taken off the queue for a lease: every task is gone
    # The newest row, in queue order (queued time, then id: the sweep queues its batches in
    # id order), that a send task claimed after it was queued, more than a lease ago. Rows
    # the retry path queued with a countdown are out of that order and say nothing.
    passer = (
        claimed.filter(claimed_at__gte=first, claimed_at__lt=stale, retry_at=None)
        .filter(claimed_at__gte=F("queued_at"))
        .order_by("-queued_at", "-pk")
        .values_list("queued_at", "pk")
        .first()
    )
    if passer is None:
        return None
    queued_at, pk = passer
    return waiting.filter(Q(queued_at__lt=queued_at) | Q(queued_at=queued_at, pk__lt=pk))


# --- delivery: one send -----------------------------------------------------------------------

# A batch renews its lease once this share of the lease has passed since its last claim, so the
# send it starts then still has most of a lease (longer than the SMTP timeout) to finish before
# another worker could take the row.
RENEW_AFTER = 0.1


@dataclass
class Outcome:
    status: str  # "sent", "skipped", "lost" (another worker has it), "retry", "failed"
    retry_in: float | None = None


def claim(delivery_id: int, *, now: dt.datetime) -> bool:
    """One atomic UPDATE: whoever changes the row sends it."""
    return claim_many([delivery_id], now=now) == {delivery_id}


def claim_many(delivery_ids, *, now: dt.datetime) -> set[int]:
    """Claim rows in one atomic UPDATE … RETURNING: the ids this call won, each leased to the
    caller from `now` (not sent, and unclaimed or its lease expired, and its retry time come)."""
    adapt = connection.ops.adapt_datetimefield_value
    return _update_claims(
        delivery_ids,
        assign="claimed_at = %s, attempts = attempts + 1",
        assign_params=[adapt(now)],
        condition="(claimed_at IS NULL OR claimed_at < %s)"
        " AND (retry_at IS NULL OR retry_at <= %s)",
        condition_params=[adapt(now - conf.lease()), adapt(now)],
    )


def renew_claims(delivery_ids, *, claimed_at: dt.datetime, now: dt.datetime) -> set[int]:
    """Extend the lease of rows still held since `claimed_at` (their claim time is the
    holder's mark): the ids still held. A row another worker took after an expired lease is
    left out, so it is never sent by both."""
    adapt = connection.ops.adapt_datetimefield_value
    return _update_claims(
        delivery_ids,
        assign="claimed_at = %s",
        assign_params=[adapt(now)],
        condition="claimed_at = %s",
        condition_params=[adapt(claimed_at)],
    )


def _update_claims(ids, *, assign, assign_params, condition, condition_params) -> set[int]:
    ids = sorted(set(ids))
    if not ids:
        return set()
    table = Delivery._meta.db_table
    marks = ", ".join(["%s"] * len(ids))
    rows = f"id IN ({marks}) AND status = %s AND sent_at IS NULL AND {condition}"
    params = [*ids, DeliveryStatus.PENDING, *condition_params]
    if connection.features.has_select_for_update:
        # Locked in id order: two claims of overlapping batches (a re-queued row's two tasks)
        # wait for each other rather than deadlock, and the waiting one re-checks the row.
        rows = f"id IN (SELECT id FROM {table} WHERE {rows} ORDER BY id FOR UPDATE)"  # noqa: S608
    # The table name comes from model metadata, the clauses from this module, values are
    # parameters.
    sql = f"UPDATE {table} SET {assign} WHERE {rows} RETURNING id"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*assign_params, *params])
        return {row[0] for row in cursor.fetchall()}


class _Lease:
    """The rows of one batch this process holds: claimed together in one UPDATE, renewed
    together while the batch runs, each let go once its outcome is written."""

    def __init__(self, delivery_ids):
        self.renew_after = conf.lease().total_seconds() * RENEW_AFTER
        # The clock starts before the claim's timestamp is taken: the lease is never older
        # than this process believes.
        self.started = time.monotonic()
        self.claimed_at = timezone.now()
        self.held = claim_many(delivery_ids, now=self.claimed_at)

    def holds(self, delivery_id: int) -> bool:
        if delivery_id in self.held and time.monotonic() - self.started > self.renew_after:
            started, now = time.monotonic(), timezone.now()
            self.held = renew_claims(self.held, claimed_at=self.claimed_at, now=now)
            self.started, self.claimed_at = started, now
        return delivery_id in self.held

    def release(self, delivery_id: int) -> None:
        self.held.discard(delivery_id)


def _with_email_rows(queryset):
    # Everything a reminder email shows, in the same query as the row.
    return queryset.select_related(
        "owner", "follow_up__contact__organization", "follow_up__opportunity__organization"
    )


def deliver_batch(delivery_ids: list[int]) -> list[Outcome]:
    """Claim, build, send, mark sent, for a batch of rows, one after the other.

    The batch's rows are claimed in one UPDATE (each row leased, renewed while the batch
    runs), read with everything their emails show in three queries, and each is marked sent
    by one UPDATE just after its send. The only at-least-once window is between the SMTP server
    accepting a message and that UPDATE: a process killed there has sent that one row without
    recording it, and it is resent after the lease (with the same Message-ID, so mail clients
    collapse the copy); the rest of its batch was never sent and simply goes out later.
    """
    lease = _Lease(delivery_ids)
    rows = _with_email_rows(Delivery.objects.filter(pk__in=lease.held)).in_bulk()
    history = selectors.last_interactions(
        row.follow_up.contact_id for row in rows.values() if row.follow_up is not None
    )
    outcomes = []
    for delivery_id in delivery_ids:
        if not lease.holds(delivery_id):
            outcomes.append(Outcome("lost"))
            continue
        row = rows.get(delivery_id)
        # A row deleted since its claim (its follow-up was) has nobody left to tell.
        outcomes.append(Outcome("skipped") if row is None else _send_claimed(row, history))
        lease.release(delivery_id)
    return outcomes


def deliver(delivery_id: int) -> Outcome:
    """`deliver_batch` for one row (a retry)."""
    return deliver_batch([delivery_id])[0]


def _send_claimed(delivery: Delivery, history: dict) -> Outcome:
    """Send a row this process holds and write its outcome."""
    message = emails.build(delivery, history=history)
    if message is None:
        _finish(delivery.pk, status=DeliveryStatus.SKIPPED)
        return Outcome("skipped")
    try:
        mailer.send(message)  # over this process's kept connection
    except (smtplib.SMTPException, OSError) as exc:
        return _record_failure(delivery, exc)
    _finish(delivery.pk, status=DeliveryStatus.SENT)
    return Outcome("sent")


def _finish(delivery_id: int, *, status: str) -> None:
    # One UPDATE, committed on its own: the shortest window between the send and its record.
    # Written as SQL: the ORM's compiling of the same statement cost more than running it.
    table = Delivery._meta.db_table  # from model metadata; values are parameters
    sql = f"UPDATE {table} SET sent_at = %s, status = %s, last_error = '' WHERE id = %s"  # noqa: S608
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, status, delivery_id])


def _record_failure(delivery: Delivery, exc: Exception) -> Outcome:
    now = timezone.now()
    error = f"{type(exc).__name__}: {exc}"[:500]
    attempts = delivery.attempts
    if attempts >= conf.max_attempts():
        log.error("delivery %s failed after %s attempts: %s", delivery.pk, attempts, error)
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, failed_at=now, claimed_at=None, last_error=error
        )
        return Outcome("failed")
    delay = min(conf.retry_base_seconds() * 2 ** (attempts - 1), conf.retry_max_seconds())
    log.warning("delivery %s attempt %s: %s; retry in %ss", delivery.pk, attempts, error, delay)
    # Release the claim but hold the row until retry_at; queued_at=now stops the sweep from
    # re-queueing it before the retry task has had its chance.
    Delivery.objects.filter(pk=delivery.pk).update(
        claimed_at=None,
        retry_at=now + dt.timedelta(seconds=delay),
        queued_at=now,
        last_error=error,
    )
    return Outcome("retry", retry_in=delay)


@transaction.atomic
def retry_failed(*, owner, delivery: Delivery) -> Delivery:
    """The user asks to try a failed email again (from the outbox)."""
    updated = (
        Delivery.objects.owned_by(owner)
        .filter(pk=delivery.pk, status=DeliveryStatus.FAILED)
        .update(
            status=DeliveryStatus.PENDING,
            failed_at=None,
            claimed_at=None,
            retry_at=None,
            attempts=0,
            queued_at=timezone.now(),
        )
    )
    if updated:
        enqueue("apps.reminders.tasks.send_delivery", delivery.pk)
    delivery.refresh_from_db()
    return delivery


# --- one-click email actions ------------------------------------------------------------------


def use_token(*, nonce: str, action: str, user) -> bool:
    """Record a link's nonce; False when it was already used."""
    try:
        with transaction.atomic():
            UsedToken.objects.create(nonce=nonce, action=action, user=user, used_at=timezone.now())
    except IntegrityError:
        return False
    return True


@transaction.atomic
def turn_off_emails(*, user, which: str) -> None:
    field = "weekly_review_enabled" if which == "weekly" else "reminder_emails_enabled"
    User.objects.filter(pk=user.pk).update(**{field: False})
