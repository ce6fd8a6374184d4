import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from apps.reminders import links, services
from apps.reminders.models import Delivery, FollowUp, UsedToken
from tests import factories
from tests.reminders.conftest import at

pytestmark = pytest.mark.django_db


def test_today_buckets_follow_ups_in_each_users_own_zone(client_for):
    # 2026-05-04 20:00 UTC is already 5 May in Tokyo but still 4 May (13:00) in Los Angeles.
    now = at("UTC", 2026, 5, 4, 20, 0)
    tokyo = factories.UserFactory(timezone="Asia/Tokyo")
    la = factories.UserFactory(timezone="America/Los_Angeles")
    for user, zone in ((tokyo, "Asia/Tokyo"), (la, "America/Los_Angeles")):
        factories.FollowUpFactory(owner=user, note="on 4 May", due_at=at(zone, 2026, 5, 4, 9))
        factories.FollowUpFactory(owner=user, note="on 5 May", due_at=at(zone, 2026, 5, 5, 9))
    with time_machine.travel(now, tick=False):
        tokyo_page = client_for(tokyo).get("/").content.decode()
        la_page = client_for(la).get("/").content.decode()

    def section(html, heading):
        part = html.split(f'id="h-{heading}"')[1]
        return part.split("</section>")[0]

    assert "on 4 May" in section(tokyo_page, "overdue")
    assert "on 5 May" in section(tokyo_page, "today")
    assert "on 4 May" in section(la_page, "today")
    assert "on 5 May" in section(la_page, "upcoming")


def _today_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_today_runs_the_same_queries_whatever_the_data_size(auth_client, user):
    factories.FollowUpFactory(owner=user)
    small = _today_queries(auth_client)
    for _ in range(15):
        factories.FollowUpFactory(owner=user, opportunity=factories.OpportunityFactory(owner=user))
    assert _today_queries(auth_client) == small


@pytest.mark.parametrize("count", [1, 8])
def test_contact_section_runs_one_query(count, user, django_assert_num_queries):
    contact = factories.ContactFactory(owner=user)
    for _ in range(count):
        factories.FollowUpFactory(owner=user, contact=contact)
    template = Template("{% load followup_sections %}{% contact_followups contact %}")
    with django_assert_num_queries(1):
        html = template.render(Context({"contact": contact}))
    assert f"/followups/new/?contact={contact.pk}" in html
    assert html.count('id="followup-') == count


@pytest.mark.parametrize("count", [1, 8])
def test_opportunity_section_runs_one_query(count, user, django_assert_num_queries):
    opportunity = factories.OpportunityFactory(owner=user)
    for _ in range(count):
        factories.FollowUpFactory(owner=user, opportunity=opportunity)
    template = Template("{% load followup_sections %}{% opportunity_followups opportunity %}")
    with django_assert_num_queries(1):
        html = template.render(Context({"opportunity": opportunity}))
    assert html.count('id="followup-') == count


def test_nav_count_is_one_query(user, django_assert_num_queries):
    from apps.reminders.selectors import nav_due_count

    factories.FollowUpFactory(owner=user, due_at=dt.datetime.now(dt.UTC))
    with django_assert_num_queries(1):
        assert nav_due_count(user) == 1


def test_inline_done_from_today_swaps_the_sections(auth_client, user, csrf):
    follow_up = factories.FollowUpFactory(owner=user)
    token = csrf(auth_client, "/")
    response = auth_client.post(
        f"/followups/{follow_up.pk}/done/",
        {"from": "today"},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200
    assert 'id="today-sections"' in response.content.decode()
    assert "<html" not in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.status == "done"


def test_marking_done_from_today_updates_the_navigation_count(auth_client, user, csrf):
    from django.utils import timezone

    overdue = factories.FollowUpFactory(owner=user, due_at=timezone.now() - dt.timedelta(hours=2))
    factories.FollowUpFactory(owner=user, due_at=timezone.now() - dt.timedelta(hours=1))
    token = csrf(auth_client, "/")
    response = auth_client.post(
        f"/followups/{overdue.pk}/done/",
        {"from": "today", "csrfmiddlewaretoken": token},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert '<span id="nav-due-badge" hx-swap-oob="true">' in body
    assert 'title="Follow-ups due today or overdue">1</span>' in body
    full_page = auth_client.get("/").content.decode()
    assert full_page.count('id="nav-due-badge"') == 1


def test_inline_actions_work_without_javascript(auth_client, user, csrf):
    follow_up = factories.FollowUpFactory(owner=user)
    token = csrf(auth_client, "/")
    response = auth_client.post(
        f"/followups/{follow_up.pk}/snooze/",
        {"days": "7", "next": "/", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302 and response["Location"] == "/"
    before = follow_up.due_at
    follow_up.refresh_from_db()
    assert follow_up.due_at > before


def test_inline_actions_refuse_a_post_without_csrf(auth_client, user):
    follow_up = factories.FollowUpFactory(owner=user)
    for action in ("done", "snooze", "cancel"):
        response = auth_client.post(f"/followups/{follow_up.pk}/{action}/", {"days": "1"})
        assert response.status_code == 403
    follow_up.refresh_from_db()
    assert follow_up.status == "open"


def test_a_past_snooze_date_is_refused_with_a_message(auth_client, user, csrf):
    follow_up = factories.FollowUpFactory(owner=user)
    token = csrf(auth_client, "/")
    data = {"date": "2001-01-01", "csrfmiddlewaretoken": token, "from": "today"}
    response = auth_client.post(f"/followups/{follow_up.pk}/snooze/", data)
    assert response.status_code == 400
    assert "Pick today or a later date." in response.content.decode()
    htmx = auth_client.post(f"/followups/{follow_up.pk}/snooze/", data, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and "flash-error" in htmx.content.decode()


def test_a_picked_snooze_date_wins_over_the_preset_enter_also_sends(auth_client, user, csrf):
    follow_up = factories.FollowUpFactory(owner=user)
    token = csrf(auth_client, "/")
    target = (user.local_now() + dt.timedelta(days=10)).date()
    data = {"days": "1", "date": target.isoformat(), "csrfmiddlewaretoken": token}
    response = auth_client.post(f"/followups/{follow_up.pk}/snooze/", data)
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.due_at.astimezone(user.zone).date() == target


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/followups/{pk}/"),
        ("post", "/followups/{pk}/"),
        ("post", "/followups/{pk}/done/"),
        ("post", "/followups/{pk}/snooze/"),
        ("post", "/followups/{pk}/cancel/"),
        ("post", "/followups/{pk}/reopen/"),
        ("post", "/outbox/{delivery}/retry/"),
    ],
)
def test_it_refuses_another_users_follow_up(method, path, client_for, other_user, user, csrf):
    theirs = factories.FollowUpFactory(owner=other_user)
    delivery = Delivery.objects.create(
        owner=other_user,
        kind="reminder",
        follow_up=theirs,
        due_at=theirs.due_at,
        created_at=theirs.due_at,
        status="failed",
    )
    client = client_for(user)
    token = csrf(client, "/")
    url = path.format(pk=theirs.pk, delivery=delivery.pk)
    response = getattr(client, method)(url, {"days": "1", "csrfmiddlewaretoken": token})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "open"


def test_pages_only_list_the_users_own_rows(auth_client, user, other_user):
    factories.FollowUpFactory(owner=other_user, note="someone else's")
    theirs = factories.FollowUpFactory(owner=other_user)
    Delivery.objects.create(
        owner=other_user,
        kind="reminder",
        follow_up=theirs,
        due_at=theirs.due_at,
        created_at=theirs.due_at,
        last_error="their error",
        status="failed",
    )
    for url in ("/", "/followups/?status=all", "/outbox/"):
        body = auth_client.get(url).content.decode()
        assert "someone else" not in body and "their error" not in body


def test_a_form_with_another_users_contact_is_refused(auth_client, user, other_user, csrf):
    token = csrf(auth_client, "/followups/new/")
    response = auth_client.post(
        "/followups/new/",
        {
            "contact": factories.ContactFactory(owner=other_user).pk,
            "due_date": "2030-01-01",
            "due_time": "09:00",
            "note": "kept",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert 'value="kept"' in response.content.decode()
    assert not FollowUp.objects.exists()


def test_creating_a_follow_up_stores_local_nine_as_utc(client_for, csrf):
    user = factories.UserFactory(timezone="Australia/Sydney")
    contact = factories.ContactFactory(owner=user)
    client = client_for(user)
    token = csrf(client, f"/followups/new/?contact={contact.pk}")
    response = client.post(
        "/followups/new/",
        {
            "contact": contact.pk,
            "due_date": "2026-04-05",
            "due_time": "09:00",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    assert FollowUp.objects.get().due_at == at("Australia/Sydney", 2026, 4, 5, 9, 0)


def test_the_list_filters_by_status_and_contact(auth_client, user):
    contact = factories.ContactFactory(owner=user, full_name="Ada Lovelace")
    factories.FollowUpFactory(owner=user, contact=contact, note="ada open")
    factories.FollowUpFactory(owner=user, note="other open")
    done = factories.FollowUpFactory(owner=user, contact=contact, note="ada done")
    services.complete_follow_up(owner=user, follow_up=done)
    body = auth_client.get(f"/followups/?status=open&contact={contact.pk}").content.decode()
    assert "ada open" in body and "other open" not in body and "ada done" not in body
    body = auth_client.get("/followups/?status=done").content.decode()
    assert "ada done" in body and "ada open" not in body


def test_the_outbox_shows_failed_emails(auth_client, user):
    follow_up = factories.FollowUpFactory(owner=user)
    Delivery.objects.create(
        owner=user,
        kind="reminder",
        follow_up=follow_up,
        due_at=follow_up.due_at,
        created_at=follow_up.due_at,
        status="failed",
        last_error="SMTPServerDisconnected",
    )
    body = auth_client.get("/outbox/?status=failed").content.decode()
    assert "SMTPServerDisconnected" in body and "Try again" in body


def test_the_calendar_feed_lists_open_follow_ups(client, user):
    follow_up = factories.FollowUpFactory(owner=user, note="Ask about referral")
    factories.FollowUpFactory(owner=user, status="done", completed_at=dt.datetime.now(dt.UTC))
    response = client.get(f"/calendar/{user.calendar_token}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [f"Follow up with {follow_up.contact}"]
    assert client.get("/calendar/not-the-token.ics").status_code == 404


def test_the_calendar_feed_query_count_does_not_grow_with_opportunities(
    client, user, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            opportunity = factories.OpportunityFactory(owner=user)
            factories.FollowUpFactory(owner=user, opportunity=opportunity)

    add(1)
    with django_assert_max_num_queries(3) as small:
        client.get(f"/calendar/{user.calendar_token}.ics")
    add(6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(f"/calendar/{user.calendar_token}.ics")
    assert response.content.decode().count("BEGIN:VEVENT") == 7


# --- one-click links -----------------------------------------------------------------------


def _path(url):
    return re.sub(r"^https?://[^/]+", "", url)


def test_a_link_get_changes_nothing_and_the_post_does_it_once(user):
    follow_up = factories.FollowUpFactory(owner=user)
    url = _path(links.action_url(action="done", follow_up=follow_up))
    client = Client(enforce_csrf_checks=True)  # not logged in: the signed link is enough
    page = client.get(url)
    assert page.status_code == 200 and "Mark this follow-up done" in page.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.status == "open"
    token = client.cookies["csrftoken"].value
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 200
    follow_up.refresh_from_db()
    assert follow_up.status == "done"
    again = client.post(url, {"csrfmiddlewaretoken": token})
    assert again.status_code == 410 and "already used" in again.content.decode()


def test_the_email_link_page_shows_the_owners_local_time_to_a_signed_out_visitor():
    owner = factories.UserFactory(timezone="America/New_York")
    follow_up = factories.FollowUpFactory(
        owner=owner,
        due_at=dt.datetime(2026, 6, 1, 9, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York")),
    )
    url = _path(links.action_url(action="done", follow_up=follow_up))
    page = Client().get(url).content.decode()
    assert "Monday 1 June, 09:00" in page


def test_a_reused_snooze_link_does_not_snooze_twice(user):
    follow_up = factories.FollowUpFactory(owner=user)
    url = _path(links.action_url(action="snooze3", follow_up=follow_up))
    client = Client()
    client.post(url)
    follow_up.refresh_from_db()
    first = follow_up.due_at
    response = client.post(url)
    follow_up.refresh_from_db()
    assert response.status_code == 410 and "already used" in response.content.decode()
    assert follow_up.due_at == first and UsedToken.objects.count() == 1


def test_a_forged_link_does_nothing_and_says_why(user):
    follow_up = factories.FollowUpFactory(owner=user)
    url = _path(links.action_url(action="done", follow_up=follow_up))
    forged = url[:-3] + ("A" if url[-3] != "A" else "B") + url[-2:]
    response = Client().post(forged)
    assert response.status_code == 400 and "not valid" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.status == "open"


def test_an_expired_link_does_nothing_and_says_why(user):
    follow_up = factories.FollowUpFactory(owner=user)
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(days=31)):
        url = _path(links.action_url(action="done", follow_up=follow_up))
    response = Client().post(url)
    assert response.status_code == 410 and "expired" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.status == "open"


def test_one_click_unsubscribe_accepts_the_rfc8058_post_without_csrf(user):
    url = _path(links.unsubscribe_url(user=user, which="reminders"))
    client = Client(enforce_csrf_checks=True)
    assert client.get(url).status_code == 200
    user.refresh_from_db()
    assert user.reminder_emails_enabled
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert not user.reminder_emails_enabled and user.weekly_review_enabled


def test_a_used_done_link_says_already_done_on_the_day_calmly(user):
    user.timezone = "Europe/Berlin"
    user.save()
    follow_up = factories.FollowUpFactory(owner=user)
    url = _path(links.action_url(action="done", follow_up=follow_up))
    client = Client()
    with time_machine.travel(dt.datetime(2026, 6, 1, 22, 30, tzinfo=dt.UTC), tick=False):
        client.post(url)
    for again in (client.get(url), client.post(url)):
        html = again.content.decode()
        assert again.status_code == 410
        # 22:30 UTC is already Tuesday in Berlin.
        assert "Already done on Tue 2 Jun" in html
        assert "already used on Tuesday 2 June at 00:30" in html
        assert "Nothing was changed" not in html and 'role="alert"' not in html


def test_a_link_to_a_follow_up_done_on_today_says_already_done(user):
    follow_up = factories.FollowUpFactory(owner=user)
    url = _path(links.action_url(action="done", follow_up=follow_up))
    services.complete_follow_up(owner=user, follow_up=follow_up)
    response = Client().get(url)
    assert response.status_code == 409
    assert "Already done on" in response.content.decode()
    assert 'role="alert"' not in response.content.decode()
