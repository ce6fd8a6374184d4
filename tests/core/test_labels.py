"""Every form field on every page has a label, in the HTML itself (so also without JavaScript):
a <label for>, a wrapping <label>, aria-label or aria-labelledby."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from apps.onboarding import services as onboarding
from tests.factories import PASSWORD
from tests.support.pages import anonymous_pages, signed_in_pages

pytestmark = pytest.mark.django_db

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class Fields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: list[dict] = []
        self.label_for: set[str] = set()
        self.open_labels = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        elif tag in ("input", "select", "textarea"):
            if tag == "input" and attrs.get("type", "text") in UNLABELLED_TYPES:
                return
            self.fields.append({**attrs, "tag": tag, "in_label": self.open_labels > 0})

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels = max(0, self.open_labels - 1)

    def unlabelled(self) -> list[str]:
        return [
            f"<{f['tag']} name={f.get('name')!r} id={f.get('id')!r}>"
            for f in self.fields
            if not (
                f["in_label"]
                or f.get("id") in self.label_for
                or f.get("aria-label")
                or f.get("aria-labelledby")
            )
        ]


def unlabelled_fields(client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, path
    parser = Fields()
    parser.feed(response.content.decode())
    return parser.unlabelled()


def test_every_field_on_every_page_is_labelled(auth_client, user, client, csrf):
    onboarding.load_sample_data(owner=user)
    # Turning on two-factor authentication asks for the password again first.
    token = csrf(auth_client, reverse("account_reauthenticate"))
    data = {"password": PASSWORD, "csrfmiddlewaretoken": token}
    assert auth_client.post(reverse("account_reauthenticate"), data).status_code == 302
    problems = {
        name: found
        for name, path in signed_in_pages(user).items()
        if (found := unlabelled_fields(auth_client, path))
    }
    problems |= {
        name: found
        for name, path in anonymous_pages().items()
        if (found := unlabelled_fields(client, path))
    }
    assert problems == {}


def test_the_check_finds_a_field_without_a_label():
    parser = Fields()
    parser.feed(
        '<label for="a">A</label><input id="a" name="a"><label><input name="b"> B</label>'
        '<input name="c" aria-label="C"><input type="hidden" name="d"><select name="e"></select>'
    )
    assert parser.unlabelled() == ["<select name='e' id=None>"]
