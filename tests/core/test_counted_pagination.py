"""CountedPaginator gives the pages Paginator gives, in one query a page where it can."""

import pytest
from django.core.paginator import EmptyPage, Paginator
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


def test_an_empty_result_without_an_empty_first_page_fails_as_paginator_does(contacts):
    for paginator_class in (CountedPaginator, Paginator):
        with pytest.raises(EmptyPage):
            paginator_class(contacts.none(), 10, allow_empty_first_page=False).get_page(1)


def test_a_search_over_two_pages_counts_every_match_on_each(client_for):
    owner = factories.UserFactory()
    Contact.objects.bulk_create(Contact(owner=owner, full_name=f"Ada {i:02}") for i in range(30))
    Contact.objects.bulk_create(Contact(owner=owner, full_name=f"Bo {i}") for i in range(5))
    client = client_for(owner)
    first = client.get("/contacts/", {"q": "ada"}).content.decode()
    second = client.get("/contacts/", {"q": "ada", "page": "2"}).content.decode()
    past_the_end = client.get("/contacts/", {"q": "ada", "page": "9"}).content.decode()
    for body in (first, second, past_the_end):
        assert "30 contacts found" in body
        assert "Bo " not in body
    assert "Page 1 of 2" in first and first.count('class="contact-name"') == 25
    assert "Page 2 of 2" in second and second.count('class="contact-name"') == 5
    assert "Page 2 of 2" in past_the_end and past_the_end.count('class="contact-name"') == 5
