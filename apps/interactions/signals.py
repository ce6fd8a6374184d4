"""What interactions announce to the apps above them, which subscribe in their AppConfig.ready().

Sent inside the write's transaction, so a receiver's error rolls the write back.
"""

from django.dispatch import Signal

# `interaction` (an Interaction, its contacts set) was just logged, by any way of logging one:
# the web form, the quick log, the API, a calendar invite, a kept promise.
interaction_logged = Signal()
