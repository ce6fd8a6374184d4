"""Finished Insights reports, kept until a row they read changes.

Computing the page on a large account means scanning tens of thousands of conversations and
their links several times over; reading it again a minute later, unchanged, should not. So the
rendered report is kept in the cache under a *fingerprint* of every table it reads for the
owner: on PostgreSQL, each table's row count, and the sum and the newest of the rows' `xmin` (the
transaction that last wrote each row). Any insert, update or delete of those rows, by a form, a
bulk update or an import alike, changes the fingerprint (the sum also catches a late commit from
a transaction older than the newest row), so the next request computes the report afresh:
nothing has to remember to invalidate it. Figures that move with the clock alone (overdue
follow-ups, "this week") are at most INSIGHTS_SNAPSHOT_SECONDS old, and the page says when it
was computed.

SQLite keeps no transaction id per row: there the report is computed on every request.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from apps.accounts.models import User
from apps.contacts.models import Contact, Organization, PastEmployment
from apps.interactions.models import Interaction
from apps.opportunities.models import Opportunity, OpportunityContact, StageChange
from apps.reminders.models import FollowUp

logger = logging.getLogger(__name__)

# Every owned table an Insights figure reads. The links between conversations and contacts
# have no owner column: they are written with their conversation (which is saved too), or with
# a contact merge, which deletes a contact.
OWNED_TABLES = (
    Interaction,
    Contact,
    Organization,
    PastEmployment,
    Opportunity,
    OpportunityContact,
    StageChange,
    FollowUp,
)


def enabled() -> bool:
    return connection.vendor == "postgresql" and settings.INSIGHTS_SNAPSHOT_SECONDS > 0


def _fingerprint_sql() -> str:
    # Only model table names are interpolated; the owner is a parameter.
    parts = [
        f"(SELECT COUNT(*) || '.' || COALESCE(SUM(xmin::text::bigint), 0)"  # noqa: S608
        f" || '.' || COALESCE(MAX(xmin::text::bigint), 0)"
        f" FROM {model._meta.db_table} WHERE owner_id = %(owner)s) AS {model._meta.db_table}"
        for model in OWNED_TABLES
    ]
    # The user's row holds the time zone and the weekly targets.
    owner = f"(SELECT xmin::text FROM {User._meta.db_table} WHERE id = %(owner)s) AS owner"  # noqa: S608
    return "SELECT " + ", ".join([*parts, owner])


def fingerprint(user) -> str:
    """One query: a digest that changes whenever any row the report reads is written."""
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql(), {"owner": user.pk})
        row = cursor.fetchone()
    return hashlib.sha256("|".join(map(str, row)).encode()).hexdigest()


def report_html(user, parts: tuple, render) -> str:
    """The report for these `parts` (range and view) as `render()` makes it, from the cache
    when nothing it reads has changed since. A cache that fails costs speed, never the page."""
    if not enabled():
        return render()
    key = (
        "insights-report:"
        + hashlib.sha256(repr((user.pk, fingerprint(user), parts)).encode()).hexdigest()
    )
    try:
        html = cache.get(key)
    except Exception:  # a cache outage must not take the page down
        logger.warning("insights cache unavailable for a read", exc_info=True)
        return render()
    if html is None:
        html = render()
        try:
            cache.set(key, html, settings.INSIGHTS_SNAPSHOT_SECONDS)
        except Exception:
            logger.warning("insights cache unavailable for a write", exc_info=True)
    return html
