from django import template

register = template.Library()


@register.inclusion_tag("reminders/_contact_followups.html", takes_context=True)
def contact_followups(context, contact):
    return {"contact": contact, "request": context.get("request")}


@register.inclusion_tag("reminders/_opportunity_followups.html", takes_context=True)
def opportunity_followups(context, opportunity):
    return {"opportunity": opportunity, "request": context.get("request")}
