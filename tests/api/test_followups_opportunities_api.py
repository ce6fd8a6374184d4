import datetime as dt

from django.utils import timezone

from apps.opportunities.models import OpportunityContact, Stage, StageChange
from apps.reminders.models import FollowUpStatus
from tests import factories
from tests.api.conftest import assert_problem


def test_due_follow_ups_done_and_snooze(api, user):
    overdue = factories.FollowUpFactory(owner=user, due_at=timezone.now() - dt.timedelta(days=2))
    later = factories.FollowUpFactory(owner=user, due_at=timezone.now() + dt.timedelta(days=5))
    due = api.get("/followups", due="today").json()
    assert [row["id"] for row in due["items"]] == [overdue.pk]
    assert api.get("/followups").json()["count"] == 2

    snoozed = api.post(f"/followups/{overdue.pk}/snooze", {"days": 3})
    assert snoozed.status_code == 200, snoozed.content
    assert dt.datetime.fromisoformat(snoozed.json()["due_at"]) > timezone.now()

    done = api.post(f"/followups/{later.pk}/done")
    assert done.status_code == 200 and done.json()["status"] == FollowUpStatus.DONE
    later.refresh_from_db()
    assert later.status == FollowUpStatus.DONE


def test_snooze_rules_come_from_the_page(api, user):
    follow_up = factories.FollowUpFactory(owner=user)
    assert_problem(api.post(f"/followups/{follow_up.pk}/snooze", {}), 422)
    assert_problem(api.post(f"/followups/{follow_up.pk}/snooze", {"days": 5}), 422)
    past = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    body = assert_problem(api.post(f"/followups/{follow_up.pk}/snooze", {"date": past}), 422)
    assert body["errors"][0]["field"] == "date"
    assert_problem(api.get("/followups", due="someday"), 422)


def test_follow_ups_of_another_user_are_not_found(api, other_user):
    theirs = factories.FollowUpFactory(owner=other_user)
    assert_problem(api.get(f"/followups/{theirs.pk}"), 404)
    assert_problem(api.post(f"/followups/{theirs.pk}/done"), 404)
    assert_problem(api.post(f"/followups/{theirs.pk}/snooze", {"days": 1}), 404)
    theirs.refresh_from_db()
    assert theirs.status == FollowUpStatus.OPEN
    assert api.get("/followups").json()["count"] == 0


def test_opportunity_create_move_and_people(api, user):
    ada = factories.ContactFactory(owner=user)
    made = api.post(
        "/opportunities",
        {"role_title": "Staff engineer", "organization": "Acme", "referrer_id": ada.pk},
    )
    assert made.status_code == 201, made.content
    opportunity = made.json()
    assert opportunity["organization"]["name"] == "Acme"
    assert opportunity["stage"] == Stage.IDENTIFIED

    moved = api.post(f"/opportunities/{opportunity['id']}/stage", {"stage": "applied"})
    assert moved.status_code == 200 and moved.json()["stage"] == "applied"
    assert list(
        StageChange.objects.filter(opportunity_id=opportunity["id"]).values_list(
            "from_stage", "to_stage"
        )
    ) == [("", "identified"), ("identified", "applied")]
    assert_problem(api.post(f"/opportunities/{opportunity['id']}/stage", {"stage": "won"}), 422)

    grace = factories.ContactFactory(owner=user)
    person = api.post(
        f"/opportunities/{opportunity['id']}/people",
        {"contact_id": grace.pk, "role": "hiring_manager"},
    )
    assert person.status_code == 201, person.content
    assert person.json()["contact"]["id"] == grace.pk
    assert_problem(
        api.post(
            f"/opportunities/{opportunity['id']}/people",
            {"contact_id": grace.pk, "role": "hiring_manager"},
        ),
        409,
    )
    people = api.get(f"/opportunities/{opportunity['id']}/people").json()
    assert {p["role"] for p in people} == {"referrer", "hiring_manager"}
    listed = api.get("/opportunities", stage="applied").json()
    assert [o["id"] for o in listed["items"]] == [opportunity["id"]]


def test_opportunities_of_another_user_are_not_found(api, user, other_user):
    theirs = factories.OpportunityFactory(owner=other_user)
    their_contact = factories.ContactFactory(owner=other_user)
    mine = factories.OpportunityFactory(owner=user)
    assert_problem(api.get(f"/opportunities/{theirs.pk}"), 404)
    assert_problem(api.post(f"/opportunities/{theirs.pk}/stage", {"stage": "applied"}), 404)
    assert_problem(api.get(f"/opportunities/{theirs.pk}/people"), 404)
    body = assert_problem(
        api.post(f"/opportunities/{mine.pk}/people", {"contact_id": their_contact.pk}), 422
    )
    assert body["errors"][0]["field"] == "contact_id"
    assert not OpportunityContact.objects.exists()
    body = assert_problem(
        api.post("/opportunities", {"role_title": "x", "organization_id": theirs.organization_id}),
        422,
    )
    assert body["errors"][0]["field"] == "organization_id"


def test_organizations(api, user, other_user):
    made = api.post("/organizations", {"name": "Acme", "is_target": True})
    assert made.status_code == 201, made.content
    assert_problem(api.post("/organizations", {"name": "acme"}), 422)
    theirs = factories.OrganizationFactory(owner=other_user, name="Globex")
    listed = api.get("/organizations").json()
    assert [o["name"] for o in listed["items"]] == ["Acme"]
    assert api.get("/organizations", target=True).json()["count"] == 1
    assert api.get(f"/organizations/{made.json()['id']}").json()["contact_count"] == 0
    assert_problem(api.get(f"/organizations/{theirs.pk}"), 404)
