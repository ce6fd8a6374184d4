"""The big account every benchmark measures: one job seeker's real volume beside another user.

One account with 10,000 contacts, 50,000 conversations, 500 opportunities and about 5,000
follow-ups (about 1,250 overdue, 40 more over Today and the coming week), beside another user's
2,000 contacts; the big account's contacts have varied first and last names. `scale` shrinks
every count for a quick smoke run of a harness.
"""

import datetime as dt
import itertools
import random

from django.db import connection
from django.utils import timezone

from apps.contacts.models import Contact, Organization
from apps.reminders.models import FollowUp
from tests import factories
from tests.contacts.test_search_plan import FIRST, LAST
from tests.insights.generate import populate

COMPANY_FIRST = [
    "Northwind", "Bluefin", "Cedar", "Driftwood", "Emberly", "Foxglove", "Granite", "Harbor",
    "Ironleaf", "Juniper", "Keystone", "Lumen", "Meridian", "Nimbus", "Oakridge", "Pinecrest",
    "Quartz", "Redwood", "Silverline", "Tidewater", "Umbra", "Vantage", "Willow", "Xenon", "Yarrow",
]  # fmt: skip
COMPANY_LAST = [
    "Labs", "Systems", "Health", "Analytics", "Robotics", "Logistics", "Media", "Energy",
    "Capital", "Software", "Foods", "Bank", "Studios", "Networks", "Security", "Mobility",
    "Learning", "Biotech", "Cloud", "Retail",
]  # fmt: skip


def big_account(scale: float = 1.0):
    """Seed the big account and its neighbour; return (user, one of the user's contacts)."""
    user = factories.UserFactory(timezone="Europe/Berlin")
    populate(
        user,
        contacts=int(10_000 * scale),
        interactions=int(50_000 * scale),
        opportunities=int(500 * scale) or 1,
        seed=16,
    )
    # Names as varied as real ones (populate's are all "Person N", which every search matches).
    rng = random.Random(16)
    people = list(Contact.objects.filter(owner=user).only("pk"))
    for person in people:
        person.full_name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    Contact.objects.bulk_update(people, ["full_name"], batch_size=2000)
    # Company names as varied too: populate's "Org N" makes "Org" match every company.
    names = [f"{a} {b}" for a in COMPANY_FIRST for b in COMPANY_LAST]
    rng.shuffle(names)
    companies = list(Organization.objects.filter(owner=user).order_by("pk").only("pk"))
    for company, name in zip(companies, itertools.cycle(names), strict=False):
        company.name = name
    for n, company in enumerate(companies[len(names) :]):
        company.name = f"{company.name} {n // len(names) + 2}"  # unique beyond the word pairs
    Organization.objects.bulk_update(companies, ["name"], batch_size=2000)
    contact = Contact.objects.filter(owner=user).first()
    now = timezone.now()
    # Today and the coming week, beside the backlog populate() leaves in the past.
    FollowUp.objects.bulk_create(
        FollowUp(owner=user, contact=contact, due_at=now + dt.timedelta(hours=6 * i))
        for i in range(40)
    )
    populate(
        factories.UserFactory(),
        contacts=int(2_000 * scale),
        interactions=int(5_000 * scale),
        opportunities=int(50 * scale) or 1,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return user, contact
