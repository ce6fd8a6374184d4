"""What reminders announce to the apps above them, which subscribe in their AppConfig.ready()."""

from django.dispatch import Signal

# Sent while a weekly review is built, with `user`, `since` and `until`; each receiver returns a
# dict of the figures it owns, merged into the review (interactions adds the week's
# conversations and minutes by channel).
weekly_review_figures = Signal()

# Sent inside the transaction that marks a follow-up done, with `follow_up` (already saved as
# done): interactions records a kept promise as a give on that contact.
follow_up_done = Signal()

# Sent inside the transaction that reopens a done follow-up (by hand or by undoing a cleared
# backlog), with `follow_up` (already saved as open): interactions removes the give that keeping
# the promise recorded.
follow_up_reopened = Signal()
