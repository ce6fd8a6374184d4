from django import template

from apps.insights import attribution
from apps.insights.reports.targets import weekly_targets as weekly_progress

register = template.Library()


@register.inclusion_tag("insights/_weekly_targets.html", takes_context=True)
def weekly_targets(context, user):
    """Progress towards the user's weekly targets, shown on Today and on Insights (1 query)."""
    return {
        "user": user,
        "request": context.get("request"),
        "progress": weekly_progress(user),
    }


@register.filter
def credit(value) -> str:
    """A share of opportunities as people read it: 1, 0.5, 0.33."""
    return attribution.fmt_credit(value)
