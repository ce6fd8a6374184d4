import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.contacts.normalize import is_linkedin_url, normalize_linkedin_url

CANONICAL = "https://www.linkedin.com/in/jane-doe"


@pytest.mark.parametrize(
    "raw",
    [
        "https://www.linkedin.com/in/jane-doe",
        "https://www.linkedin.com/in/jane-doe/",
        "http://www.linkedin.com/in/jane-doe",
        "linkedin.com/in/jane-doe",
        "www.linkedin.com/in/Jane-Doe/",
        "https://linkedin.com/in/JANE-DOE",
        "https://uk.linkedin.com/in/jane-doe",
        "https://m.linkedin.com/in/jane-doe",
        "https://www.linkedin.com/in/jane-doe?trk=public_profile&originalSubdomain=fr",
        "https://www.linkedin.com/in/jane-doe#experience",
        "https://www.linkedin.com/in/jane-doe/en",
        "HTTPS://WWW.LINKEDIN.COM/IN/JANE-DOE/",
        "  https://www.linkedin.com/in/jane-doe  ",
        "jane-doe",
    ],
)
def test_every_spelling_of_a_profile_becomes_one_canonical_url(raw):
    assert normalize_linkedin_url(raw) == CANONICAL


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_blank_input_stays_blank(raw):
    assert normalize_linkedin_url(raw) == ""


def test_non_ascii_slugs_compare_equal_whether_escaped_or_not():
    escaped = normalize_linkedin_url("https://www.linkedin.com/in/J%C3%B6rg-M%C3%BCller/")
    assert escaped == normalize_linkedin_url("linkedin.com/in/jörg-müller")
    assert escaped == "https://www.linkedin.com/in/j%C3%B6rg-m%C3%BCller"


def test_old_public_profile_urls_are_lowercased_on_the_canonical_host():
    assert (
        normalize_linkedin_url("http://de.linkedin.com/pub/Jane-Doe/1/2b/3c/")
        == "https://www.linkedin.com/pub/jane-doe/1/2b/3c"
    )


@pytest.mark.parametrize(
    "raw",
    [
        "https://example.com/in/jane-doe",
        "https://evil-linkedin.com/in/jane-doe",
        "https://linkedin.com.evil.example/in/jane-doe",
        "https://www.linkedin.com/company/acme",
        "https://www.linkedin.com/in/",
        "ftp://www.linkedin.com/in/jane-doe",
        "http://[::1",
    ],
)
def test_addresses_that_are_not_linkedin_profiles_are_not_accepted(raw):
    assert not is_linkedin_url(raw)
    assert normalize_linkedin_url(raw) == raw.strip()


slugs = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9-]{2,40}", fullmatch=True)
hosts = st.sampled_from(["linkedin.com", "www.linkedin.com", "uk.linkedin.com", "m.linkedin.com"])
schemes = st.sampled_from(["", "http://", "https://", "HTTPS://"])
suffixes = st.sampled_from(["", "/", "?trk=abc", "/#top", "/en/", "/?a=1&b=2#x"])


@given(scheme=schemes, host=hosts, slug=slugs, suffix=suffixes)
def test_scheme_host_case_query_and_trailing_slash_never_make_a_second_profile(
    scheme, host, slug, suffix
):
    url = f"{scheme}{host}/in/{slug}{suffix}"
    assert normalize_linkedin_url(url) == f"https://www.linkedin.com/in/{slug.lower()}"
    assert is_linkedin_url(url)


@given(st.text(max_size=120))
def test_normalizing_is_idempotent_and_never_raises(text):
    once = normalize_linkedin_url(text)
    assert normalize_linkedin_url(once) == once
