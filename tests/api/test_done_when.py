"""The issue's done-when, proved by HTTP alone: with nothing but a bearer token, a client logs
a conversation with a new contact, time spent, what was given and asked and a follow-up, then
reads all of it back and closes the follow-up. Every check reads the API's answers, never the
database."""

import datetime as dt
import json
import urllib.error
import urllib.request

from django.utils import timezone

from apps.api import services
from tests import factories


def _client(base_url, secret):
    def call(method, path, body=None):
        request = urllib.request.Request(  # noqa: S310 - the test's own live server
            f"{base_url}/api/v1{path}",
            data=json.dumps(body).encode() if body is not None else None,
            method=method,
            headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)

    return call


def test_a_client_with_only_a_token_does_what_the_quick_log_does(live_server, transactional_db):
    user = factories.UserFactory()
    # The one step outside the API: the user makes the token in Settings → API tokens.
    _, secret = services.create_token(owner=user, name="script", scope="write")
    call = _client(live_server.url, secret)

    status, logged = call(
        "POST",
        "/conversations",
        {
            "new_contacts": ["Grace Hopper"],
            "summary": "Coffee about the compilers team",
            "channel": "in_person",
            "minutes": 30,
            "gave": "An intro to Ada",
            "asked": "Advice on the team",
            "asked_referral": True,
            "follow_up_in_days": 7,
            "follow_up_note": "Send the paper",
        },
    )
    assert status == 201, logged

    status, read = call("GET", f"/conversations/{logged['id']}")
    assert status == 200
    assert (read["summary"], read["channel"], read["minutes"]) == (
        "Coffee about the compilers team",
        "in_person",
        30,
    )
    assert (read["gave"], read["asked"], read["asked_referral"]) == (
        "An intro to Ada",
        "Advice on the team",
        True,
    )
    [grace] = read["contacts"]
    assert grace["full_name"] == "Grace Hopper"
    [follow_up] = read["follow_ups"]
    assert follow_up["note"] == "Send the paper" and follow_up["status"] == "open"
    assert follow_up["contact"]["id"] == grace["id"]
    due = dt.datetime.fromisoformat(follow_up["due_at"])
    assert dt.timedelta(days=6) < due - timezone.now() < dt.timedelta(days=8)

    # The new contact is one of the user's contacts, found by name like on the Contacts page.
    status, found = call("GET", "/contacts?q=hopper")
    assert status == 200 and [c["id"] for c in found["items"]] == [grace["id"]]
    status, contact = call("GET", f"/contacts/{grace['id']}")
    assert status == 200 and contact["channel"] == "in_person"

    # The follow-up is listed with the open ones and closed from the API.
    status, listed = call("GET", f"/followups?contact={grace['id']}")
    assert status == 200 and [f["id"] for f in listed["items"]] == [follow_up["id"]]
    status, done = call("POST", f"/followups/{follow_up['id']}/done")
    assert status == 200 and done["status"] == "done"
    status, listed = call("GET", f"/followups?contact={grace['id']}")
    assert listed["count"] == 0
