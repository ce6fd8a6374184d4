from django import template

from apps.onboarding import selectors

register = template.Library()


@register.inclusion_tag("onboarding/_sample_offer.html", takes_context=True)
def sample_data_offer(context):
    """On an empty Today: the button that fills the account with the sample job search."""
    user = context["request"].user
    return {"offer": selectors.is_empty(user), "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("onboarding/_sample_remove.html", takes_context=True)
def sample_data_remove(context):
    """On Settings: the button that takes the sample out again, while it is there."""
    user = context["request"].user
    return {"loaded": selectors.has_sample(user), "csrf_token": context.get("csrf_token")}
