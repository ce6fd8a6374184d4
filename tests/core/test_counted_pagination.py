"""CountedPaginator gives the pages Paginator gives, in one query a page where it can."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.contacts.models import Contact
from apps.core.pagination import CountedPaginator
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts():
    owner = factories.UserFactory()
    Contact.objects.bulk_create(Contact(owner=owner, full_name=f"P {i:02}") for i in range(23))
    return Contact.objects.filter(owner=owner).order_by("full_name", "pk")


def _pages(paginator_class, queryset, number, **options):
    with CaptureQueriesContext(connection) as queries:
        page = paginator_class(queryset, 10, **options).get_page(number)
        shown = [c.full_name for c in page.object_list]
        facts = (shown, page.number, page.paginator.count, page.paginator.num_pages)
    return facts, len(queries)


@pytest.mark.parametrize("number", [1, 2, 3, "2", None, "", "x", 0, -1, 4, 99])
def test_every_page_number_gives_what_paginator_gives(contacts, number):
    counted, _ = _pages(CountedPaginator, contacts, number)
    plain, _ = _pages(Paginator, contacts, number)
    assert counted == plain


@pytest.mark.parametrize("number", [1, 2, 3])
def test_a_page_in_range_is_one_query(contacts, number):
    (shown, _, count, _), queries = _pages(CountedPaginator, contacts, number)
    assert queries == 1
    assert count == 23 and shown


def test_no_match_is_one_query_and_an_empty_first_page(contacts):
    (shown, number, count, pages), queries = _pages(
        CountedPaginator, contacts.filter(full_name="nobody"), 1
    )
    assert (shown, number, count, pages, queries) == ([], 1, 0, 1, 1)


@pytest.mark.parametrize("number", [1, 2, 3])
def test_orphans_fold_into_the_last_page_as_paginator_does(contacts, number):
    counted, _ = _pages(CountedPaginator, contacts, number, orphans=4)
    plain, _ = _pages(Paginator, contacts, number, orphans=4)
    assert counted == plain
