import datetime as dt

from django.utils import timezone

from apps.interactions.models import Interaction
from apps.reminders.models import FollowUp, FollowUpStatus
from tests import factories
from tests.api.conftest import assert_problem


def test_logging_a_conversation_does_what_the_quick_log_does(api, user):
    ada = factories.ContactFactory(owner=user, full_name="Ada Lovelace")
    response = api.post(
        "/conversations",
        {
            "contacts": [ada.pk],
            "new_contacts": ["Grace Hopper"],
            "summary": "Coffee about the platform team",
            "channel": "in_person",
            "minutes": 45,
            "gave": "An intro to Linus",
            "asked": "Advice on the team",
            "asked_referral": True,
            "follow_up_in_days": 7,
            "follow_up_note": "Send the article",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert sorted(c["full_name"] for c in body["contacts"]) == ["Ada Lovelace", "Grace Hopper"]
    assert body["minutes"] == 45 and body["asked_referral"] is True
    assert len(body["follow_ups"]) == 2
    interaction = Interaction.objects.get(pk=body["id"])
    assert interaction.owner == user and interaction.channel == "in_person"
    ada.refresh_from_db()
    assert ada.last_interaction_at == interaction.occurred_at
    due = FollowUp.objects.get(contact=ada, status=FollowUpStatus.OPEN).due_at
    assert due.date() == (timezone.now() + dt.timedelta(days=7)).date()


def test_logging_can_answer_an_open_follow_up(api, user):
    follow_up = factories.FollowUpFactory(owner=user)
    response = api.post(
        "/conversations",
        {
            "contacts": [follow_up.contact_id],
            "summary": "Caught up",
            "completes_follow_up_id": follow_up.pk,
        },
    )
    assert response.status_code == 201, response.content
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DONE


def test_the_quick_logs_rules_answer_as_problems(api, user, other_user):
    theirs = factories.ContactFactory(owner=other_user)
    body = assert_problem(
        api.post("/conversations", {"summary": "x", "contacts": [theirs.pk]}), 422
    )
    assert body["errors"][0]["field"] == "contacts"
    body = assert_problem(api.post("/conversations", {"summary": "x"}), 422)
    assert "at least one contact" in body["errors"][0]["detail"]
    body = assert_problem(
        api.post("/conversations", {"summary": "x", "new_contacts": ["A"], "minutes": 99_999}), 422
    )
    assert body["errors"][0]["field"] == "minutes"
    future = (timezone.now() + dt.timedelta(days=30)).isoformat()
    body = assert_problem(
        api.post("/conversations", {"summary": "x", "new_contacts": ["A"], "occurred_at": future}),
        422,
    )
    assert body["errors"][0]["field"] == "occurred_at"
    past = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    body = assert_problem(
        api.post("/conversations", {"summary": "x", "new_contacts": ["A"], "follow_up_on": past}),
        422,
    )
    assert body["errors"][0]["field"] == "follow_up_on"
    assert not Interaction.objects.exists()


def test_another_users_conversation_or_follow_up_is_not_found(api, other_user):
    theirs = factories.FollowUpFactory(owner=other_user)
    assert_problem(
        api.post(
            "/conversations",
            {"new_contacts": ["A"], "summary": "x", "completes_follow_up_id": theirs.pk},
        ),
        404,
    )
    interaction = factories.InteractionFactory(owner=other_user)
    assert_problem(api.get(f"/conversations/{interaction.pk}"), 404)
