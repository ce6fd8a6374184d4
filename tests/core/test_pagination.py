"""The one pager partial: keeps the list's query, names itself, links prev/next, speaks htmx."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

rf = RequestFactory()


def _render(url, number, **options):
    request = rf.get(url)
    page = Paginator(range(100), 10).get_page(number)
    html = render_to_string(
        "core/_pagination.html", {"page": page, "request": request, **options}, request
    )
    return " ".join(html.split())


def test_the_links_keep_the_query_and_replace_only_the_page():
    html = _render("/contacts/?q=ada&tag=1&tag=2&page=3&sort=name", 3)
    assert '<nav class="pagination" aria-label="Pages">' in html
    assert 'href="?q=ada&amp;tag=1&amp;tag=2&amp;page=2&amp;sort=name" rel="prev"' in html
    assert 'href="?q=ada&amp;tag=1&amp;tag=2&amp;page=4&amp;sort=name" rel="next"' in html
    assert "Page 3 of 10" in html
    assert "hx-get" not in html  # no htmx unless asked


def test_first_and_last_pages_offer_one_way_and_a_single_page_no_pager():
    first = _render("/outbox/?status=failed", 1)
    assert 'rel="prev"' not in first
    assert 'href="?status=failed&amp;page=2" rel="next"' in first
    last = _render("/outbox/", 10)
    assert 'rel="next"' not in last
    request = rf.get("/outbox/")
    single = render_to_string(
        "core/_pagination.html",
        {"page": Paginator(range(3), 10).get_page(1), "request": request},
        request,
    )
    assert single.strip() == ""


def test_an_htmx_target_swaps_and_pushes_the_same_url():
    html = _render("/contacts/?q=ada", 2, target="#contact-results")
    assert (
        'href="?q=ada&amp;page=1" rel="prev" hx-get="?q=ada&amp;page=1"'
        ' hx-target="#contact-results" hx-swap="outerHTML" hx-push-url="true"' in html
    )
    assert "← Previous" in html and "Next →" in html


def test_a_section_pager_with_its_own_parameter_and_endpoint():
    html = _render(
        "/interactions/contact/7/timeline/?ipage=2",
        2,
        label="Conversation pages",
        param="ipage",
        base="/contacts/7/",
        fragment="#contact-interactions",
        hx_base="/interactions/contact/7/timeline/",
        newer=True,
    )
    assert 'aria-label="Conversation pages"' in html
    assert 'href="/contacts/7/?ipage=1#contact-interactions" rel="prev"' in html
    assert 'hx-get="/interactions/contact/7/timeline/?ipage=3"' in html
    assert "hx-push-url" not in html and "hx-target" not in html  # the section's own target applies
    assert "← Newer" in html and "Older →" in html
