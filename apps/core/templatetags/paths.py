from django import template

from apps.core.paths import path_to

register = template.Library()


@register.simple_tag
def path(name, pk=None):
    """{% path "app:route" obj.pk %}: like {% url %} for a route with one id (or none), reversed
    once per process. For rows a page repeats and for the navigation every page draws
    (base.html); {% url %} everywhere else."""
    return path_to(name, pk)
