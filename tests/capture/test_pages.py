from pathlib import Path

import pytest

from apps.capture.pages import MAX_SOURCE, read_page
from apps.capture.recognize import posting_from, profile_from, split_linkedin_title

PAGES = Path(__file__).parent / "pages"


def saved(name, url=""):
    return read_page(url=url, source=(PAGES / name).read_text())


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Jane Doe - Staff Engineer - Acme | LinkedIn", ("Jane Doe", "Staff Engineer", "Acme")),
        ("(3) Jane Doe | LinkedIn", ("Jane Doe", "", "")),
        ("(12+) Jane Doe – Designer at Initech | LinkedIn", ("Jane Doe", "Designer", "Initech")),
        ("Jörg Müller - Globex | LinkedIn", ("Jörg Müller", "", "Globex")),
        ("Jane Doe | LinkedIn", ("Jane Doe", "", "")),
        ("  ", ("", "", "")),
    ],
)
def test_linkedin_titles(title, expected):
    assert split_linkedin_title(title) == expected


def test_a_saved_linkedin_profile():
    profile = profile_from(saved("linkedin_profile.html"))
    assert profile.full_name == "Jane Doe"
    assert profile.title == "Staff Engineer"
    assert profile.company == "Acme Robotics"
    assert profile.location.startswith("London")
    assert (profile.field, profile.value) == (
        "linkedin_url",
        "https://www.linkedin.com/in/jane-doe-4711",
    )


def test_a_profile_from_the_title_alone():
    page = read_page(url="https://www.linkedin.com/in/ada/", title="(2) Ada Lovelace | LinkedIn")
    assert profile_from(page).full_name == "Ada Lovelace"
    assert profile_from(read_page(url="https://example.com/ada", title="Ada | LinkedIn")) is None


def test_posting_in_a_graph_with_escaped_description():
    posting = posting_from(saved("greenhouse_graph.html"))
    assert posting.title == "Senior Backend Engineer"
    assert posting.company == "Globex"
    assert posting.location == "Berlin, DE"
    assert posting.url == "https://boards.greenhouse.example/globex/jobs/4242"
    assert posting.description == "Build the billing platform & APIs."


def test_posting_in_an_array_with_a_string_organization_and_two_places():
    page = saved("lever_array.html")
    posting = posting_from(page)
    assert posting.title == "Product Designer"
    assert posting.company == "Initech"
    assert posting.location == "Lisbon; Porto"
    # No url in the posting: the page's own address.
    assert posting.url == "https://jobs.lever.example/initech/77-aa"
    assert posting.description == "Design things people use."


def test_posting_with_missing_fields_and_a_broken_block():
    posting = posting_from(saved("workday_minimal.html", url="https://wd.example/job/1"))
    assert posting.title == "Data Analyst"
    assert posting.company == "" and posting.location == "Remote"
    assert posting.url == "https://wd.example/job/1"


def test_pasted_json_ld_alone_works_the_same():
    source = '{"@type":"JobPosting","title":"SRE","hiringOrganization":{"name":"Hooli"}}'
    posting = posting_from(read_page(source=source))
    assert (posting.title, posting.company) == ("SRE", "Hooli")


def test_hostile_fields_become_plain_text():
    page = saved("hostile.html")
    posting = posting_from(page)
    for value in (posting.title, posting.company, posting.description, page.title):
        assert "<" not in value and ">" not in value
    assert posting.title == "Engineer alert(2)"
    assert posting.company == "Umbrella"
    assert posting.url == ""  # javascript: is no address
    assert posting.description == "alert(5) Apply now"


def test_huge_and_deep_input_is_capped():
    deep = '{"@graph":' * 5000 + "{}" + "}" * 5000
    assert posting_from(read_page(source=deep)) is None
    big = "<title>x</title>" + "a" * (MAX_SOURCE * 2)
    assert read_page(source=big).title == "x"
    assert posting_from(read_page(source="[" * 100_000)) is None


def test_a_saved_profile_opened_from_disk_keeps_its_linkedin_address():
    page = saved("linkedin_profile.html", url="http://127.0.0.1:8000/saved/jane.html")
    assert profile_from(page).value == "https://www.linkedin.com/in/jane-doe-4711"


@pytest.mark.parametrize(
    ("url", "title", "field", "value", "name"),
    [
        (
            "https://x.com/Jane_Doe",
            "Jane Doe (@Jane_Doe) / X",
            "twitter_handle",
            "Jane_Doe",
            "Jane Doe",
        ),
        (
            "https://twitter.com/jane_doe?s=21",
            "Jane Doe (@jane_doe) on X",
            "twitter_handle",
            "jane_doe",
            "Jane Doe",
        ),
        (
            "https://www.instagram.com/jane.doe/?hl=en",
            "Jane Doe (@jane.doe) • Instagram photos and videos",
            "instagram_handle",
            "jane.doe",
            "Jane Doe",
        ),
        (
            "https://m.facebook.com/Jane.Doe?ref=bookmarks",
            "(2) Jane Doe | Facebook",
            "facebook_url",
            "https://www.facebook.com/jane.doe",
            "Jane Doe",
        ),
    ],
)
def test_profiles_on_other_channels(url, title, field, value, name):
    profile = profile_from(read_page(url=url, title=title))
    assert (profile.field, profile.value, profile.full_name) == (field, value, name)


@pytest.mark.parametrize(
    "url",
    ["https://x.com/home", "https://www.instagram.com/p/Cx1/", "https://www.facebook.com/groups/1"],
)
def test_site_pages_that_are_not_people(url):
    assert profile_from(read_page(url=url, title="Something | Facebook")) is None
