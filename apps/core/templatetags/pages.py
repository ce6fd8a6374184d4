from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number, param="page", base="", fragment=""):
    """`base` (default: this page) with the current query string, `param` set to `number`:
    a page link keeps the list's search, filters and sort."""
    query = context["request"].GET.copy()
    query[param] = number
    return f"{base}?{query.urlencode()}{fragment}"
