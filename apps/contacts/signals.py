"""What contacts announce to the apps above them, which subscribe in their AppConfig.ready().

Both are sent inside the write's transaction, so a receiver's error rolls the write back.
"""

from django.dispatch import Signal

# A contact's keep-in-touch cadence may need re-planning (`contacts`: a list of contacts): it was
# set or changed, the contact was archived or restored, or two contacts were merged.
cadence_changed = Signal()

# `other` is about to be folded into `survivor`: receivers clear rows that would collide with a
# unique constraint once everything pointing at `other` points at `survivor`.
merging = Signal()

# `contact` was just given a new introducer (`contact.introduced_by`, or None when cleared),
# `previous_id` being the one it had before (None for a new contact): reminders thanks the
# introducer, once per introduction.
introducer_set = Signal()
