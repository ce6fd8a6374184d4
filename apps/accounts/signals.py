"""What accounts announce to the apps above them, which subscribe in their AppConfig.ready()."""

from django.dispatch import Signal

# Sent inside the settings transaction with user, old_zone and new_zone (tzinfo objects): a
# receiver's error rolls the change back.
zone_changed = Signal()
