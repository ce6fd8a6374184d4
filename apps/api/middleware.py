from functools import cache

from django.urls import reverse

from apps.api import problems
from apps.core.middleware import has_unstorable_input
from apps.core.text import MESSAGE


@cache
def _api_prefix() -> str:
    return reverse("api_unknown")


class UnstorableInputProblemMiddleware:
    """Under the API, a path, query string or cookie no database stores gets the same 400 as on
    the pages (core's UnstorableInputMiddleware, which runs after this one), but as a problem
    document: API clients read JSON, never the pages' HTML."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(_api_prefix()) and has_unstorable_input(request):
            return problems.response(400, MESSAGE)
        return self.get_response(request)
