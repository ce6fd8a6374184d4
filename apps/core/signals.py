"""What core announces to the apps above it, which subscribe in their AppConfig.ready()."""

from django.dispatch import Signal

# Sent once per page for a signed-in user, with `user`; each receiver returns a dict of small,
# fixed-cost figures for the navigation (e.g. {"nav_due_followups": 3}).
navigation_counts = Signal()
