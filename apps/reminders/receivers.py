"""Reminders' answers to what the apps below it announce (connected in RemindersConfig.ready)."""

from django.dispatch import receiver

from apps.accounts.signals import zone_changed
from apps.contacts.signals import cadence_changed, introducer_set, merging
from apps.core.signals import navigation_counts
from apps.opportunities.signals import interview_saved, person_added, stage_moved
from apps.reminders import loop, selectors, services


@receiver(cadence_changed, dispatch_uid="reminders.sync_cadence")
def plan_cadence(sender, *, contacts, **kwargs):
    services.sync_cadence(contacts=contacts)


@receiver(merging, dispatch_uid="reminders.fold_cadence")
def fold_cadence(sender, *, survivor, other, **kwargs):
    services.fold_cadence_follow_ups(survivor=survivor, other=other)


@receiver(zone_changed, dispatch_uid="reminders.keep_wall_times")
def keep_wall_times(sender, *, user, old_zone, new_zone, **kwargs):
    services.keep_wall_times(owner=user, old_zone=old_zone, new_zone=new_zone)


@receiver(navigation_counts, dispatch_uid="reminders.nav_due_count")
def due_count(sender, *, user, **kwargs):
    return {"nav_due_followups": selectors.nav_due_count(user)}


@receiver(introducer_set, dispatch_uid="reminders.thank_introducer")
def thank_introducer(sender, *, contact, **kwargs):
    loop.thank_for_introduction(contact=contact)


@receiver(person_added, dispatch_uid="reminders.thank_referrer")
def thank_referrer(sender, *, person, **kwargs):
    loop.thank_for_referral(person=person)


@receiver(stage_moved, dispatch_uid="reminders.close_the_loop")
def close_the_loop(sender, *, opportunity, change, **kwargs):
    loop.offer_to_close_the_loop(opportunity=opportunity, stage=change.to_stage)


@receiver(interview_saved, dispatch_uid="reminders.interview_thanks")
def interview_thanks(sender, *, interview, **kwargs):
    loop.plan_interview_thanks(interview=interview)
