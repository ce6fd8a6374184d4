from django import template

from apps.interactions import selectors

register = template.Library()


@register.inclusion_tag("interactions/_contact_interactions.html", takes_context=True)
def contact_interactions(context, contact):
    """The contact page's timeline of conversations: newest first, paginated by ?ipage=."""
    request = context.get("request")
    page = selectors.contact_timeline(
        owner=contact.owner_id,
        contact=contact,
        page=request.GET.get("ipage") if request is not None else None,
    )
    return {"contact": contact, "page": page, "request": request}
