"""Walk every URL pattern that takes an id and prove another user's ids are simply not found.

The signed-in user owns nothing; the other user owns one of everything. Any id-taking URL asked
for with one of the other user's ids must answer 404 (or 405 for a method the view refuses),
whether by GET or by a CSRF-valid POST, and must change nothing.
"""

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from apps.api.models import ApiToken
from apps.api.services import create_token
from apps.contacts.models import PastEmployment
from apps.core.models import OwnedModel
from apps.webhooks.models import Endpoint, WebhookDelivery
from tests import factories

pytestmark = pytest.mark.django_db


def id_patterns():
    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
                if entry.namespace == "admin":
                    continue
                yield from walk(entry.url_patterns, namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                converters = entry.pattern.converters
                if converters and all(
                    type(c).__name__ == "IntConverter" for c in converters.values()
                ):
                    yield prefix + entry.name, list(converters)

    return sorted(set((name, tuple(params)) for name, params in walk(get_resolver().url_patterns)))


def build_world(owner):
    contact = factories.ContactFactory(owner=owner)
    other = factories.ContactFactory(owner=owner, introduced_by=contact)
    tag = factories.TagFactory(owner=owner)
    contact.tags.add(tag)
    PastEmployment.objects.create(
        owner=owner, contact=other, organization=factories.OrganizationFactory(owner=owner)
    )
    interaction = factories.InteractionFactory(owner=owner, contacts=[contact, other])
    opportunity = factories.OpportunityFactory(owner=owner, organization=contact.organization)
    factories.OpportunityContactFactory(opportunity=opportunity, contact=contact)
    factories.FollowUpFactory(owner=owner, contact=contact, opportunity=opportunity)
    create_token(owner=owner, name="theirs")
    endpoint = Endpoint.objects.create(
        owner=owner, url="https://hooks.example.com/in", events=["follow_up.done"]
    )
    WebhookDelivery.objects.create(
        owner=owner,
        endpoint=endpoint,
        event_type="ping",
        event_id=f"evt_theirs{endpoint.pk}",
        payload={},
        status="failed",
        created_at=timezone.now(),
        next_attempt_at=timezone.now(),
    )
    return interaction


def owned_snapshot():
    rows = {}
    for model in apps.get_models():
        if issubclass(model, OwnedModel):
            rows[model._meta.label] = sorted(model.objects.values_list("pk", flat=True))
    return rows


def test_every_id_taking_url_answers_404_for_another_users_ids(
    user, other_user, client_for, csrf, settings
):
    # Hundreds of API calls with one token: its rate limit (tested on its own) must not answer
    # 429 here. The count grows with the ids, which on PostgreSQL differ per table in a long run.
    settings.API_RATE_LIMIT = "100000/min"
    build_world(other_user)
    foreign_ids = sorted({pk for pks in owned_snapshot().values() for pk in pks})
    assert foreign_ids, "the other user's world must exist"
    patterns = id_patterns()
    assert patterns, "no id-taking URL found"
    client = client_for(user)
    token = csrf(client)
    # The JSON API takes the user's bearer token (never the session) and a body its schemas
    # accept, so that only the id can make it answer 404.
    mine, secret = create_token(owner=user, name="isolation", scope="write")
    # Out of the range of the ids tried, so no URL is ever asked about the user's own token.
    ApiToken.objects.filter(pk=mine.pk).update(id=max(foreign_ids) + 1000)
    api_headers = {"Authorization": f"Bearer {secret}"}
    api_body = {"stage": "applied", "contact_id": 1, "archived": True, "days": 1, "title": "x"}
    before = owned_snapshot()
    leaks = []
    for name, params in patterns:
        for pk in foreign_ids:
            url = reverse(name, kwargs={param: pk for param in params})
            # The API also changes records by PATCH (a contact's fields).
            methods = ("get", "post", "patch") if name.startswith("api_v1:") else ("get", "post")
            for method in methods:
                if name.startswith("api_v1:"):
                    kwargs = {"headers": api_headers}
                    if method != "get":
                        kwargs.update(data=api_body, content_type="application/json")
                    response = getattr(client, method)(url, **kwargs)
                else:
                    data = {"csrfmiddlewaretoken": token} if method == "post" else None
                    response = getattr(client, method)(url, data)
                if response.status_code not in (404, 405):
                    leaks.append(f"{method.upper()} {url} ({name}) -> {response.status_code}")
    assert leaks == []
    assert owned_snapshot() == before
