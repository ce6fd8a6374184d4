"""Every page of the product for a signed-in user with the sample data, by name: the
accessibility sweep visits them all and `make screenshots` photographs some of them."""

import datetime as dt
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import timezone

from apps.contacts.models import Contact, Organization
from apps.interactions import services as interactions
from apps.interactions.models import Interaction, OutreachTemplate
from apps.opportunities.models import Opportunity
from apps.reminders import links
from apps.reminders.models import FollowUp
from apps.webhooks.models import Endpoint, WebhookDelivery
from tests.portability.conftest import load, preview


def signed_in_pages(user) -> dict[str, str]:
    contact = Contact.objects.owned_by(user).get(full_name="Marcus Chen")
    offer = Opportunity.objects.owned_by(user).get(stage="offer")
    follow_up = FollowUp.objects.owned_by(user).filter(status="open").order_by("due_at").first()
    job = preview(user, "linkedin_current.csv", data=load("linkedin_current.csv"))
    webhook_deliveries(user)
    interactions.seed_starter_templates(owner=user)
    template = OutreachTemplate.objects.owned_by(user).order_by("pk").first()
    conversation = Interaction.objects.owned_by(user).order_by("pk").first()
    organization = Organization.objects.owned_by(user).order_by("pk").first()
    return {
        "today": reverse("reminders:today"),
        "contacts": reverse("contacts:list"),
        "contact": contact.get_absolute_url(),
        "contact-new": reverse("contacts:create"),
        "contact-edit": reverse("contacts:edit", args=[contact.pk]),
        "organizations": reverse("contacts:organization_list"),
        "organization": Organization.objects.owned_by(user).first().get_absolute_url(),
        "conversations": reverse("interactions:list"),
        "conversation-new": reverse("interactions:new"),
        "conversation-edit": Interaction.objects.owned_by(user).first().get_absolute_url(),
        "pipeline": reverse("opportunities:board"),
        "opportunities": reverse("opportunities:list"),
        "opportunity": offer.get_absolute_url(),
        "opportunity-new": reverse("opportunities:new"),
        "insights": reverse("insights:index"),
        "insights-opportunities": reverse("insights:opportunities"),
        "follow-ups": reverse("reminders:followup_list"),
        "follow-up-new": reverse("reminders:followup_create"),
        "follow-up-edit": reverse("reminders:followup_edit", args=[follow_up.pk]),
        "outbox": reverse("reminders:outbox"),
        "import": reverse("portability:import_start"),
        "import-preview": reverse("portability:import_detail", args=[job.pk]),
        "export": reverse("portability:export"),
        "settings": reverse("accounts:settings"),
        "webhooks": reverse("webhooks:endpoints"),
        "account-delete": reverse("accounts:delete"),
        "email": reverse("account_email"),
        "password": reverse("account_change_password"),
        "two-factor": reverse("mfa_index"),
        # Opens once the password was confirmed (see confirm_password in the sweep).
        "two-factor-on": reverse("mfa_activate_totp"),
        "email-link": urlsplit(links.action_url(action="done", follow_up=follow_up)).path,
        "unsubscribe": urlsplit(links.unsubscribe_url(user=user, which="reminders")).path,
        "duplicates": reverse("contacts:duplicates"),
        "contact-merge": reverse("contacts:merge", args=[contact.pk]),
        "contact-delete": reverse("contacts:delete", args=[contact.pk]),
        "organization-new": reverse("contacts:organization_create"),
        "organization-edit": reverse("contacts:organization_edit", args=[organization.pk]),
        "conversation-delete": reverse("interactions:delete", args=[conversation.pk]),
        "templates": reverse("interactions:template_list"),
        "template-new": reverse("interactions:template_new"),
        "template-edit": reverse("interactions:template_edit", args=[template.pk]),
        "template-use": reverse("interactions:template_use", args=[template.pk])
        + f"?contact={contact.pk}",
        "opportunity-edit": reverse("opportunities:edit", args=[offer.pk]),
        "opportunity-delete": reverse("opportunities:delete", args=[offer.pk]),
        "insights-conversations": reverse("insights:interactions"),
        "insights-contacts": reverse("insights:contacts"),
        "insights-follow-ups": reverse("insights:follow_ups"),
        "api-tokens": reverse("api:tokens"),
        "capture": reverse("capture:start"),
        "logout": reverse("account_logout"),
    }


def webhook_deliveries(user) -> Endpoint:
    """An endpoint with a delivery in each state, as a week of use leaves it."""
    endpoint = Endpoint.objects.create(
        owner=user,
        url="https://hooks.example.com/followthrough/incoming-events-from-my-crm",
        events=["conversation.logged", "opportunity.stage_changed", "follow_up.done"],
    )
    now = timezone.now()
    states = [
        ("follow_up.done", "pending", 2, 503, "HTTP 503: Service Unavailable"),
        ("opportunity.stage_changed", "failed", 8, 404, "HTTP 404: Not Found"),
        ("conversation.logged", "delivered", 1, 200, ""),
        ("ping", "delivered", 1, 204, ""),
    ]
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            owner=user,
            endpoint=endpoint,
            event_type=event,
            event_id=f"evt_sample{index}",
            payload={},
            status=status,
            attempts=attempts,
            last_status_code=code,
            last_error=error,
            created_at=now - dt.timedelta(hours=index),
            next_attempt_at=now + dt.timedelta(minutes=2),
            delivered_at=now if status == "delivered" else None,
        )
        for index, (event, status, attempts, code, error) in enumerate(states)
    )
    return endpoint


def two_factor_pages() -> dict[str, str]:
    """The pages two-factor authentication opens once the authenticator app is on (the sweep
    turns it on through its own page first); the login's code step is visited signed out."""
    return {
        "recovery-codes": reverse("mfa_view_recovery_codes"),
        "recovery-codes-new": reverse("mfa_generate_recovery_codes"),
        "two-factor-off": reverse("mfa_deactivate_totp"),
        "two-factor-confirm": reverse("mfa_reauthenticate"),
    }


def anonymous_pages() -> dict[str, str]:
    return {
        "login": reverse("account_login"),
        "signup": reverse("account_signup"),
        "password-reset": reverse("account_reset_password"),
        "check-your-inbox": reverse("account_email_verification_sent"),
        "password-reset-sent": reverse("account_reset_password_done"),
        "password-reset-bad-key": reverse(
            "account_reset_password_from_key", kwargs={"uidb36": "1", "key": "bad"}
        ),
        "confirm-email-bad-key": reverse("account_confirm_email", args=["bad-key"]),
    }
