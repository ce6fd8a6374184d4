from apps.core.signals import navigation_counts


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counts = {}
    for _receiver, figures in navigation_counts.send(sender=None, user=user):
        counts.update(figures)
    return counts
