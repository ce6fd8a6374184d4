"""X, Facebook and Instagram profiles: one canonical form each, never two contacts with the same
profile, shown as links."""

import pytest
from django.urls import reverse

from apps.contacts import services
from apps.contacts.normalize import (
    normalize_facebook_url,
    normalize_instagram_handle,
    normalize_x_handle,
    profile_field,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "handle"),
    [
        ("@Jane_Doe", "Jane_Doe"),
        ("x.com/Jane_Doe", "Jane_Doe"),
        ("https://twitter.com/jane_doe?s=20", "jane_doe"),
        ("https://mobile.twitter.com/jd/status/1", "jd"),
        ("https://x.com/home", ""),
        ("", ""),
    ],
)
def test_x_handles(raw, handle):
    assert normalize_x_handle(raw) == handle


@pytest.mark.parametrize(
    ("raw", "handle"),
    [
        ("@Jane.Doe", "jane.doe"),
        ("instagram.com/jane.doe/", "jane.doe"),
        ("https://www.instagram.com/Jane.Doe/?hl=en", "jane.doe"),
        ("https://instagram.com/p/abc", ""),
    ],
)
def test_instagram_handles(raw, handle):
    assert normalize_instagram_handle(raw) == handle


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("fb.com/Jane.Doe", "https://www.facebook.com/jane.doe"),
        ("https://m.facebook.com/jane.doe?ref=x", "https://www.facebook.com/jane.doe"),
        ("jane.doe", "https://www.facebook.com/jane.doe"),
        (
            "https://www.facebook.com/profile.php?id=100012345&sk=about",
            "https://www.facebook.com/profile.php?id=100012345",
        ),
        (
            "https://www.facebook.com/people/Jane-Doe/100012345/",
            "https://www.facebook.com/profile.php?id=100012345",
        ),
        ("https://example.com/jane", "https://example.com/jane"),
    ],
)
def test_facebook_urls(raw, url):
    assert normalize_facebook_url(raw) == url


def test_profile_field_names_the_channel():
    assert profile_field("https://x.com/Jane_Doe") == ("twitter_handle", "Jane_Doe")
    assert profile_field("https://www.instagram.com/jd/") == ("instagram_handle", "jd")
    assert profile_field("https://example.com/jd") is None


def test_the_same_profile_in_another_form_is_a_duplicate(user):
    jane = services.create_contact(
        owner=user,
        full_name="Jane",
        twitter_handle="@Jane_Doe",
        facebook_url="fb.com/Jane.Doe",
        instagram_handle="instagram.com/jane.doe",
    )
    assert (jane.twitter_handle, jane.facebook_url, jane.instagram_handle) == (
        "Jane_Doe",
        "https://www.facebook.com/jane.doe",
        "jane.doe",
    )
    for field, value in [
        ("twitter_handle", "https://x.com/jane_doe"),
        ("facebook_url", "https://m.facebook.com/jane.doe/"),
        ("instagram_handle", "@Jane.Doe"),
    ]:
        with pytest.raises(services.DuplicateContactError) as raised:
            services.create_contact(owner=user, full_name="Jane again", **{field: value})
        assert raised.value.field == field and raised.value.existing == jane
    # Another user may know the same person.
    other = factories.UserFactory()
    services.create_contact(owner=other, full_name="Jane", twitter_handle="jane_doe")


def test_the_form_normalizes_refuses_and_names_the_duplicate(client_for, user, csrf):
    factories.ContactFactory(owner=user, full_name="Jane", instagram_handle="jane.doe")
    client = client_for(user)
    token = csrf(client, reverse("contacts:create"))
    response = client.post(
        reverse("contacts:create"),
        {
            "full_name": "Jane D",
            "channel": "other",
            "warmth": "cold",
            "instagram_handle": "https://www.instagram.com/Jane.Doe/",
            "facebook_url": "https://example.com/not-facebook",
            "twitter_handle": "not a handle!",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "already have a contact with this Instagram handle" in str(
        form.errors["instagram_handle"]
    )
    assert "Facebook profile address" in str(form.errors["facebook_url"])
    assert "X handle" in str(form.errors["twitter_handle"])


def test_profiles_are_links_on_the_contact_page(client_for, user):
    contact = factories.ContactFactory(
        owner=user,
        twitter_handle="Jane_Doe",
        facebook_url="https://www.facebook.com/jane.doe",
        instagram_handle="jane.doe",
    )
    html = client_for(user).get(contact.get_absolute_url()).content.decode()
    assert 'href="https://x.com/Jane_Doe"' in html
    assert 'href="https://www.facebook.com/jane.doe"' in html
    assert 'href="https://www.instagram.com/jane.doe/"' in html


def test_merging_fills_blank_profiles_from_the_other(user):
    survivor = factories.ContactFactory(owner=user, full_name="Jane")
    other = factories.ContactFactory(owner=user, full_name="J.", instagram_handle="jd")
    services.merge_contacts(owner=user, survivor=survivor, other=other)
    survivor.refresh_from_db()
    assert survivor.instagram_handle == "jd"
