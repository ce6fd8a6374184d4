"""What reminders announce to the apps above them, which subscribe in their AppConfig.ready()."""

from django.dispatch import Signal

# Sent while a weekly review is built, with `user`, `since` and `until`; each receiver returns a
# dict of the figures it owns, merged into the review (interactions adds the week's
# conversations and minutes by channel).
weekly_review_figures = Signal()

# Sent inside the transaction that marks follow-ups done (one by hand, or a whole backlog in one
# step), with `follow_ups`: the FollowUp rows, already saved as done. A backlog can be a thousand
# rows, so every receiver handles the list in a fixed number of queries whatever its length:
# interactions records each kept promise as a give on its contact, webhooks writes the events.
follow_ups_done = Signal()

# Sent inside the transaction that reopens done follow-ups (one by hand, or a backlog by undoing
# its step), with `follow_ups` (already saved as open), under the same rule: interactions removes
# the gives that keeping the promises recorded.
follow_ups_reopened = Signal()
