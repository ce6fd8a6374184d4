from django import template

from apps.reminders import selectors

register = template.Library()


@register.inclusion_tag("reminders/_contact_followups.html", takes_context=True)
def contact_followups(context, contact):
    request = context.get("request")
    return {
        "contact": contact,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "follow_ups": selectors.contact_followups(contact),
        "next": request.get_full_path() if request else "",
    }


@register.inclusion_tag("reminders/_opportunity_followups.html", takes_context=True)
def opportunity_followups(context, opportunity):
    request = context.get("request")
    return {
        "opportunity": opportunity,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "follow_ups": selectors.opportunity_followups(opportunity),
        "next": request.get_full_path() if request else "",
    }
