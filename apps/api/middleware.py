from functools import cache

from django.urls import reverse

from apps.api import problems
from apps.core.middleware import has_unstorable_input
from apps.core.text import MESSAGE


@cache
def _api_prefix() -> str:
    return reverse("api_unknown")


class ProblemsMiddleware:
    """Under the API, the answers no endpoint writes are problem documents too: API clients
    read JSON, never the pages' HTML or a bare text.

    - A path, query string or cookie no database stores gets the same 400 as on the pages
      (core's UnstorableInputMiddleware, which runs after this one).
    - A method the address does not take gets its 405 (with `Allow`) from the API library as
      plain text; it is rewritten here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(_api_prefix()):
            return self.get_response(request)
        if has_unstorable_input(request):
            return problems.response(400, MESSAGE)
        response = self.get_response(request)
        if response.status_code == 405 and response.get("Content-Type") != problems.CONTENT_TYPE:
            allowed = response.get("Allow", "")
            return problems.response(
                405,
                f"{request.method} is not allowed at this address; it takes {allowed}.",
                headers={"Allow": allowed},
            )
        return response
