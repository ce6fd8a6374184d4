"""Sections other apps' pages show by template tag (a template load is not an import, so the
pages of lower apps can show what needs relationship strength)."""

from django import template

from apps.followthrough import next_steps, paths

register = template.Library()


@register.simple_tag
def suggested_asks(user):
    """`{% suggested_asks user as suggestions %}`: Today's suggested asks."""
    return next_steps.suggested_asks(owner=user)


@register.inclusion_tag("followthrough/_who_can_introduce.html", takes_context=True)
def who_can_introduce(context, organization):
    owner = context["request"].user
    found = paths.paths_for(owner=owner, organizations=[organization])
    return {"paths": found[organization.pk], "request": context.get("request")}


@register.inclusion_tag("followthrough/_ways_in.html")
def ways_in(user, companies):
    """Insights' target companies: who could introduce the user at each."""
    found = paths.paths_for(owner=user, organizations=companies, with_channels=False)
    return {"rows": [found[company.pk] for company in companies if company.pk in found]}
