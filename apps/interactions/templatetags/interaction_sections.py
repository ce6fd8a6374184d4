from django import template

register = template.Library()


@register.inclusion_tag("interactions/_contact_interactions.html", takes_context=True)
def contact_interactions(context, contact):
    """The contact page's timeline of conversations (filled by the interactions feature)."""
    return {"contact": contact, "request": context.get("request")}
