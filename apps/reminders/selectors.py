from django.utils import timezone

from apps.reminders.models import FollowUp, FollowUpStatus


def nav_due_count(user) -> int:
    """Open follow-ups due by the end of the user's local today: the badge in the navigation."""
    local_now = timezone.now().astimezone(user.zone)
    end_of_today = local_now.replace(hour=23, minute=59, second=59, microsecond=999999)
    return (
        FollowUp.objects.owned_by(user)
        .filter(status=FollowUpStatus.OPEN, due_at__lte=end_of_today)
        .count()
    )
