"""One router per resource; each endpoint reads through selectors and writes through services."""

from ninja import Field
from ninja.pagination import LimitOffsetPagination

from apps.api.schemas import ProblemOut
from apps.core.params import MAX_ID

# Bounded pages everywhere: 50 by default, never more than 200 in one answer.
PAGE_SIZE = 50
MAX_PAGE = 200


class Page(LimitOffsetPagination):
    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_PAGE, **kwargs)

    class Input(LimitOffsetPagination.Input):
        limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE)
        # Beyond a 64-bit number the database refuses the OFFSET (a 500 on SQLite).
        offset: int = Field(0, ge=0, le=MAX_ID)


ERRORS = {401: ProblemOut, 404: ProblemOut, 422: ProblemOut, 429: ProblemOut}
WRITE_ERRORS = {**ERRORS, 403: ProblemOut, 409: ProblemOut}
