import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps as django_apps
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.api.services import create_token
from apps.contacts.models import PastEmployment
from apps.contacts.services import mark_not_duplicate
from apps.core.models import OwnedModel
from apps.interactions.models import OutreachTemplate
from apps.onboarding.models import SampleRecord
from apps.opportunities.models import InterviewRound
from apps.portability.models import ImportJob, ImportRowError
from apps.reminders.models import BacklogBatch, Delivery, NextStepDismissal, UsedToken
from apps.webhooks.models import Endpoint, WebhookDelivery
from tests.factories import (
    ContactFactory,
    FollowUpFactory,
    InteractionFactory,
    OpportunityContactFactory,
    OrganizationFactory,
    TagFactory,
    UserFactory,
)
from tests.portability.conftest import import_file

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "correct horse battery staple"  # the factories' password


def fill(user):
    contact = ContactFactory(owner=user)
    contact.tags.add(TagFactory(owner=user))
    InteractionFactory(owner=user, contacts=[contact])
    person = OpportunityContactFactory(owner=user, contact=contact, opportunity__owner=user)
    follow_up = FollowUpFactory(owner=user, contact=contact)
    Delivery.objects.create(
        owner=user,
        kind="reminder",
        follow_up=follow_up,
        due_at=follow_up.due_at,
        created_at=timezone.now(),
    )
    BacklogBatch.objects.create(owner=user, action="done", count=1, created_at=timezone.now())
    round_ = InterviewRound.objects.create(
        owner=user, opportunity=person.opportunity, title="Screen", starts_at=timezone.now()
    )
    round_.interviewers.add(contact)
    OutreachTemplate.objects.create(owner=user, name="Hello", body="Hi {first_name}")
    NextStepDismissal.objects.create(owner=user, organization=contact.organization)
    UsedToken.objects.create(nonce=f"n{user.pk}", action="done", user=user, used_at=timezone.now())
    assert EmailAddress.objects.filter(user=user, verified=True).exists()  # made by the factory
    import_file(user, "linkedin_with_errors.csv")
    SampleRecord.objects.create(owner=user, model="contacts.contact", object_pk=contact.pk)
    create_token(owner=user, name="script")
    mark_not_duplicate(owner=user, contacts=[contact, ContactFactory(owner=user)])
    PastEmployment.objects.create(
        owner=user, contact=contact, organization=OrganizationFactory(owner=user), until=2020
    )
    endpoint = Endpoint.objects.create(owner=user, url="https://hooks.example.com/in", events=[])
    WebhookDelivery.objects.create(
        owner=user,
        endpoint=endpoint,
        event_type="ping",
        event_id=f"evt_{user.pk}",
        payload={},
        created_at=timezone.now(),
        next_attempt_at=timezone.now(),
    )
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)


def owned_counts(user_id):
    """Rows of every model that points at a user (owned models, and any other such as allauth's
    email addresses or used email-link tokens)."""
    counts = {}
    for model in django_apps.get_models():
        for field in model._meta.get_fields():
            if field.many_to_one and field.concrete and field.related_model is User:
                key = f"{model.__name__}.{field.name}"
                counts[key] = model._default_manager.filter(**{field.attname: user_id}).count()
    return counts


def test_deleting_my_account_removes_every_row_i_own_and_keeps_others(
    client_for, user, other_user, csrf
):
    fill(user)
    fill(other_user)
    before_mine, before_theirs = owned_counts(user.pk), owned_counts(other_user.pk)
    # Every owned model has rows, so the test would notice one that survives.
    owned = {f"{m.__name__}.owner" for m in django_apps.get_models() if issubclass(m, OwnedModel)}
    assert owned <= set(before_mine)
    assert before_mine["Authenticator.user"] == 2  # two-factor app and recovery codes
    assert all(before_mine[key] for key in owned), before_mine
    client = client_for(user)
    client_for(user)  # signed in on a second device too: that session must go as well
    assert sessions_of(user.pk) == 2
    token = csrf(client, "/account/delete/")
    response = client.post("/account/delete/", {"password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert sessions_of(user.pk) == 0
    assert response["Location"] == "/accounts/login/"
    assert not User.objects.filter(pk=user.pk).exists()
    assert all(count == 0 for count in owned_counts(user.pk).values())
    assert owned_counts(other_user.pk) == before_theirs
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert (
        "and everything in it were deleted"
        in " ".join(str(m) for m in get_messages(page.wsgi_request))
        or b"and everything in it were deleted" in page.content
    )


def test_the_email_shown_in_the_top_bar_does_not_confirm(client_for, user, csrf):
    client = client_for(user)
    token = csrf(client, "/account/delete/")
    response = client.post(
        "/account/delete/", {"password": user.email, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 400
    assert User.objects.filter(pk=user.pk).exists()
    assert sessions_of(user.pk) == 1


def test_no_row_of_mine_is_left_in_any_table(client_for, other_user, csrf):
    fill(other_user)
    before = table_counts()
    user = UserFactory()
    fill(user)
    client = client_for(user)
    client_for(user)
    assert table_counts() != before
    assert Authenticator.objects.filter(user=user).count() == 2
    token = csrf(client, "/account/delete/")
    response = client.post("/account/delete/", {"password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert table_counts() == before


def table_counts() -> dict[str, int]:
    """Rows in every table of the database, whatever app or library made it."""
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            if table.startswith("sqlite_stat"):
                continue  # the planner's statistics (an import runs ANALYZE), nobody's rows
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def sessions_of(user_id) -> int:
    return sum(1 for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(user_id))


def test_a_wrong_confirmation_deletes_nothing_and_says_so(client_for, user, csrf):
    ContactFactory(owner=user)
    client = client_for(user)
    token = csrf(client, "/account/delete/")
    response = client.post("/account/delete/", {"password": "nope", "csrfmiddlewaretoken": token})
    assert response.status_code == 400
    assert b"That is not your password. Nothing was deleted." in response.content
    assert User.objects.filter(pk=user.pk).exists()


def test_the_confirmation_page_says_what_will_go(auth_client, user):
    ContactFactory.create_batch(3, owner=user)
    page = auth_client.get("/account/delete/")
    assert page.status_code == 200
    assert b"3 contacts" in page.content
    assert b'method="post"' in page.content


def test_the_confirmation_page_counts_my_records_not_my_imports(auth_client, user):
    import_file(user, "linkedin_with_errors.csv")
    # The import left its job and its skipped rows behind: they are not the user's records.
    assert ImportJob.objects.filter(owner=user).exists()
    assert ImportRowError.objects.filter(owner=user).exists()
    page = auth_client.get(reverse("accounts:delete"))
    assert page.status_code == 200
    assert b"2 contacts" in page.content
    assert b"import jobs" not in page.content
    assert b"import row errors" not in page.content


def test_a_get_deletes_nothing(auth_client, user):
    auth_client.get("/account/delete/")
    assert User.objects.filter(pk=user.pk).exists()


def test_settings_link_to_export_and_delete(auth_client):
    page = auth_client.get("/settings/")
    assert b'href="/export/"' in page.content
    assert b'href="/account/delete/"' in page.content
