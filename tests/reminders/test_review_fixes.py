import datetime as dt
import re
import zoneinfo

import pytest
from django.test import Client

from apps.reminders import emails, links
from apps.reminders.models import Delivery
from tests import factories

pytestmark = pytest.mark.django_db
NY = zoneinfo.ZoneInfo("America/New_York")


def test_the_email_link_page_shows_the_owners_local_time_to_a_signed_out_visitor():
    owner = factories.UserFactory(timezone="America/New_York")
    follow_up = factories.FollowUpFactory(
        owner=owner, due_at=dt.datetime(2026, 6, 1, 9, 0, tzinfo=NY)
    )
    url = re.sub(r"^https?://[^/]+", "", links.action_url(action="done", follow_up=follow_up))
    page = Client().get(url).content.decode()
    assert "Monday 1 June, 09:00" in page


def test_reminder_subjects_are_plain_text_not_html_escaped():
    owner = factories.UserFactory()
    contact = factories.ContactFactory(owner=owner, full_name="Dan O'Brien")
    follow_up = factories.FollowUpFactory(owner=owner, contact=contact, note="AT&T <intro>")
    delivery = Delivery.objects.create(
        owner=owner,
        kind="reminder",
        follow_up=follow_up,
        due_at=follow_up.due_at,
        created_at=follow_up.due_at,
    )
    message = emails.build(delivery)
    assert message.subject == "Follow up with Dan O'Brien: AT&T <intro>"


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
