"""Who is calling: a personal access token in `Authorization: Bearer`, its scope, its rate.

No session or cookie authentication: a browser's cookies never open the API, so a foreign page
cannot make a logged-in user's browser write through it (no CSRF hole to close)."""

from django.conf import settings
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from apps.api import services


class TokenAuth(HttpBearer):
    def __init__(self, *, write: bool = False):
        super().__init__()
        self.write = write

    def authenticate(self, request, token):
        found = services.authenticate(token)
        if found is None:
            return None
        if self.write and not found.can_write:
            raise AuthorizationError(
                message="This token is read-only; make a read and write token to change data."
            )
        request.user = found.owner
        return found


read = TokenAuth()
write = TokenAuth(write=True)


class TokenRateThrottle(AuthRateThrottle):
    """`API_RATE_LIMIT` requests per token (e.g. "120/min"), counted in Django's cache, so every
    web process shares the count when the cache is Redis."""

    scope = "token"

    def __init__(self):
        super().__init__(settings.API_RATE_LIMIT)

    def allow_request(self, request):
        # Read on each call so a changed setting (tests, reloads) applies at once.
        if self.rate != settings.API_RATE_LIMIT:
            self.rate = settings.API_RATE_LIMIT
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        token = getattr(request, "auth", None)
        return f"api_throttle_token_{token.pk}" if token is not None else None
