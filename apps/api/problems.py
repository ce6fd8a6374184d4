"""Errors as RFC 9457 problem details (`application/problem+json`): type, title, status,
detail, and for bad input an `errors` list naming each field and what is wrong with it."""

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.utils.html import strip_tags
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

CONTENT_TYPE = "application/problem+json"
TYPES = {
    400: "urn:followthrough:problem:bad-request",
    401: "urn:followthrough:problem:unauthenticated",
    403: "urn:followthrough:problem:forbidden",
    404: "urn:followthrough:problem:not-found",
    405: "urn:followthrough:problem:method-not-allowed",
    409: "urn:followthrough:problem:conflict",
    413: "urn:followthrough:problem:too-large",
    422: "urn:followthrough:problem:invalid-input",
    429: "urn:followthrough:problem:rate-limited",
}
TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Content too large",
    422: "Invalid input",
    429: "Too many requests",
}


class Problem(Exception):
    """Raised by an endpoint to answer with a problem document."""

    def __init__(self, status: int, detail: str, *, errors: list[dict] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []


def response(status: int, detail: str, *, errors=None, headers=None) -> JsonResponse:
    body = {
        "type": TYPES.get(status, "about:blank"),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=status, content_type=CONTENT_TYPE, headers=headers)


def form_errors(form, *, rename: dict | None = None) -> list[dict]:
    """A Django form's errors as problem `errors`, fields named as the API names them."""
    rename = rename or {}
    found = []
    for field, messages in form.errors.get_json_data().items():
        name = rename.get(field, field)
        for message in messages:
            found.append(
                {
                    "field": None if name == "__all__" else name,
                    "detail": strip_tags(message["message"]),
                }
            )
    return found


def invalid(form, *, rename: dict | None = None) -> Problem:
    errors = form_errors(form, rename=rename)
    return Problem(
        422, errors[0]["detail"] if len(errors) == 1 else "Some fields are invalid.", errors=errors
    )


def _schema_errors(exc: NinjaValidationError) -> list[dict]:
    found = []
    for error in exc.errors:
        # loc is ("body", "payload", "field", …) or ("query", "field"): the field path is the tail.
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        if loc and loc[0] in ("query", "path"):
            loc = loc[1:]
        found.append({"field": ".".join(loc) or None, "detail": error.get("msg", "Invalid value.")})
    return found


def install(api) -> None:
    """Answer every error the API raises with a problem document."""

    @api.exception_handler(Problem)
    def problem(request, exc):
        return response(exc.status, exc.detail, errors=exc.errors)

    @api.exception_handler(NinjaValidationError)
    def validation(request, exc):
        errors = _schema_errors(exc)
        return response(422, "The request does not match the schema.", errors=errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return response(
            401,
            "Send a personal access token: Authorization: Bearer <token> (make one in Settings).",
            headers={"WWW-Authenticate": 'Bearer realm="api"'},
        )

    @api.exception_handler(AuthorizationError)
    def forbidden(request, exc):
        return response(403, str(exc) or "This token may not do that.")

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        headers = {"Retry-After": str(int(exc.wait) + 1)} if exc.wait else None
        return response(429, "Too many requests for this token; slow down.", headers=headers)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return response(exc.status_code, str(exc))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return response(404, "No such record among yours.")

    @api.exception_handler(RequestDataTooBig)
    def too_large(request, exc):
        return response(413, "The request body is too large; send less at a time.")

    @api.exception_handler(PermissionError)
    def foreign(request, exc):
        # A service refusing another owner's row: to the caller it does not exist.
        return response(404, "No such record among yours.")
