from django import template

from apps.insights.reports import reciprocity

register = template.Library()


@register.inclusion_tag("insights/_reciprocity.html")
def give_before_ask(user, rng):
    return {
        "weeks": reciprocity.weekly_gives_and_asks(user, rng),
        "rates": reciprocity.referral_rates(user, rng),
    }
