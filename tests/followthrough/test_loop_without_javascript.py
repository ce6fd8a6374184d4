"""The whole loop with plain forms, as a browser without JavaScript sends them: log a coffee
with a promise → keep it → ask for a referral with a template → the referrer gets a thank-you
→ the opportunity reaches interviewing → "tell them how it went" is on Today."""

import datetime as dt

import pytest

from apps.interactions.models import Interaction, OutreachTemplate
from apps.reminders.models import FollowUp, FollowUpKind, FollowUpStatus
from tests import factories
from tests.conftest import csrf_token

pytestmark = pytest.mark.django_db


def test_the_follow_through_loop_with_plain_forms(client_for, user):
    acme = factories.OrganizationFactory(owner=user, name="Acme", is_target=True)
    ann = factories.ContactFactory(owner=user, full_name="Ann Lee", organization=acme)
    job = factories.OpportunityFactory(owner=user, organization=acme, role_title="SRE")
    client = client_for(user)
    token = csrf_token(client, "/interactions/new/")

    # 1. A coffee, with a promise.
    due = (user.local_now().date() + dt.timedelta(days=2)).isoformat()
    response = client.post(
        "/interactions/new/",
        {
            "csrfmiddlewaretoken": token,
            "contacts": [ann.pk],
            "summary": "Coffee about their platform",
            "kind": "meeting",
            "channel": "event",
            "direction": "outbound",
            "promise": "Send my migration notes",
            "promise_date": due,
        },
    )
    assert response.status_code == 302
    today = client.get("/").content.decode()
    assert "You promised" in today and "Send my migration notes" in today

    # 2. Keep it.
    promise = FollowUp.objects.get(kind=FollowUpKind.PROMISE)
    response = client.post(
        f"/followups/{promise.pk}/done/", {"csrfmiddlewaretoken": token, "next": "/"}
    )
    assert response.status_code == 302
    assert Interaction.objects.filter(gave="Send my migration notes").count() == 1

    # 3. Ask for a referral with the starter template.
    assert "Referral ask" in client.get("/templates/").content.decode()
    template = OutreachTemplate.objects.get(owner=user, name="Referral ask")
    use = f"/templates/{template.pk}/use/"
    filled = client.get(use, {"contact": ann.pk, "opportunity": job.pk}).content.decode()
    assert "Hi Ann," in filled
    response = client.post(
        use,
        {
            "csrfmiddlewaretoken": token,
            "contact": ann.pk,
            "opportunity": job.pk,
            "channel": "email",
        },
    )
    assert response.status_code == 302
    assert Interaction.objects.filter(asked_referral=True, opportunity=job).count() == 1

    # 4. Ann refers; a thank-you follows.
    response = client.post(
        f"/opportunities/{job.pk}/people/",
        {"csrfmiddlewaretoken": token, "contact": ann.pk, "role": "referrer"},
    )
    assert response.status_code == 302
    assert FollowUp.objects.filter(
        kind=FollowUpKind.THANK_YOU, contact=ann, status=FollowUpStatus.OPEN
    ).exists()

    # 5. The opportunity reaches interviewing.
    response = client.post(
        f"/opportunities/{job.pk}/move/",
        {"csrfmiddlewaretoken": token, "stage": "interviewing", "next": job.get_absolute_url()},
    )
    assert response.status_code == 302

    # 6. Today lists both next steps.
    steps = client.get("/").content.decode().split('id="h-next-steps"')[1].split("</section>")[0]
    assert "Thank them for the referral (SRE)" in steps
    assert "Tell them how it went: you got an interview (SRE)" in steps
