from django import template

register = template.Library()


@register.inclusion_tag("opportunities/_contact_opportunities.html", takes_context=True)
def contact_opportunities(context, contact):
    return {"contact": contact, "request": context.get("request")}


@register.inclusion_tag("opportunities/_organization_opportunities.html", takes_context=True)
def organization_opportunities(context, organization):
    return {"organization": organization, "request": context.get("request")}
