from django.utils.module_loading import import_string

# Each entry adds one small, fixed-cost figure to the navigation for a signed-in user.
NAV_COUNTERS = {
    "nav_due_followups": "apps.reminders.selectors.nav_due_count",
}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {name: import_string(path)(user) for name, path in NAV_COUNTERS.items()}
