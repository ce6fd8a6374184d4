from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string

from apps.core.text import MESSAGE, has_unstorable


def has_unstorable_input(request) -> bool:
    """The request's path, query string or cookies hold a character no database stores."""
    return (
        has_unstorable(request.path_info)
        or any(has_unstorable(k) or has_unstorable(request.GET.getlist(k)) for k in request.GET)
        or has_unstorable(request.COOKIES)
    )


class UnstorableInputMiddleware:
    """A path, query string or cookie holding a character no database stores gets a 400 with a
    clear message here, before any view or lookup sees it. Form fields get a form error instead
    (core.forms.StorableInputMixin), so the rest of what was typed is kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_unstorable_input(request):
            body = render_to_string("core/bad_input.html", {"message": MESSAGE})
            return HttpResponseBadRequest(body)
        return self.get_response(request)
