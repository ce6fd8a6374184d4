"""What interactions announce to the apps above them, which subscribe in their AppConfig.ready().

Sent inside the write's transaction, so a receiver's error rolls the write back.
"""

from django.dispatch import Signal

# `interactions` (a list of Interaction rows, their contacts set) were just logged, by any way of
# logging one: the web form, the quick log, the API, a calendar invite, kept promises (a whole
# backlog of them at once). Receivers handle the list in a fixed number of queries.
interactions_logged = Signal()
