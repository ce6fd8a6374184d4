from django import template

from apps.opportunities import selectors

register = template.Library()


@register.inclusion_tag("opportunities/_contact_opportunities.html", takes_context=True)
def contact_opportunities(context, contact):
    """The opportunities a contact is part of, with their roles: one query."""
    return {
        "contact": contact,
        "entries": selectors.contact_opportunity_roles(contact=contact),
        "request": context.get("request"),
    }


@register.inclusion_tag("opportunities/_organization_opportunities.html", takes_context=True)
def organization_opportunities(context, organization):
    """An organization's opportunities, open ones first: one query."""
    return {
        "organization": organization,
        "opportunities": list(selectors.organization_opportunities(organization=organization)),
        "request": context.get("request"),
    }
