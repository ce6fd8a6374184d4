"""Web plumbing every app's views share: where to go next, whose row this is, how a form answers."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from apps.core.params import is_id


def is_safe_url(request, url) -> bool:
    """A URL on this site, in the request's scheme: no other host, no `//evil`, no `javascript:`,
    and no plain http from an https page."""
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def next_url(request, default=None) -> str:
    """The `next` the form posted (or the query string carried) when it is safe, else `default`
    resolved (a URL name, a model with get_absolute_url or a URL), else ""."""
    target = request.POST.get("next") or request.GET.get("next")
    if is_safe_url(request, target):
        return target
    return resolve_url(default) if default else ""


def owned_or_404(model_or_queryset, user, pk, *, optional: bool = False):
    """The user's row with this id. Another user's id, a missing row and a malformed id ("abc",
    "-1", "²") are all the same 404. With `optional`, a missing or blank id is None."""
    if optional and pk in (None, ""):
        return None
    if not is_id(pk):
        raise Http404("Not found.")
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, QuerySet)
        else model_or_queryset._default_manager.all()
    )
    return get_object_or_404(queryset.owned_by(user), pk=int(pk))


def form_status(*forms) -> int:
    """400 when any form has errors, else 200. htmx swaps 400s in place like 2xx (see the
    responseHandling in base.html), so htmx and plain posts get the same honest status."""
    return 400 if any(form is not None and form.errors for form in forms) else 200


def render_form(request, template, context, *, form, partial=None, status=None):
    """A page holding a form, or only its `partial` for htmx, with the form's status."""
    name = f"{template}#{partial}" if partial and request.htmx else template
    return render(request, name, context, status=status or form_status(form))
