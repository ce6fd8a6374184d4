from django import template

from apps.insights import selectors

register = template.Library()


@register.inclusion_tag("insights/_weekly_targets.html", takes_context=True)
def weekly_targets(context, user):
    """Progress towards the user's weekly targets, shown on Today and on Insights (1 query)."""
    return {
        "user": user,
        "request": context.get("request"),
        "progress": selectors.weekly_targets(user),
    }
