"""Build reminder, digest and weekly review emails (text and HTML)."""

import datetime as dt
import email.policy
import secrets
from email.headerregistry import HeaderRegistry
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from apps.core.paths import path_to
from apps.reminders import links, selectors
from apps.reminders.models import Delivery, DeliveryKind, FollowUpStatus


class RawHeader(str):
    """A header written as is: a short ASCII value (every caller's is), spared the email
    policy's parse and refold, which cost more than the rest of a reminder's headers.

    For a `<https://…>` URI (List-Unsubscribe) it is also the only correct writing: the policy
    folds lines at 78 characters and RFC 2047-encodes a longer unbreakable token, which mail
    clients then fail to read as the URI RFC 2369 asks for; RFC 5322 allows lines up to 998."""

    def __new__(cls, name: str, value: str):
        header = super().__new__(cls, value)
        header.name = name
        return header

    def __reduce__(self):  # the test outbox and Celery copy messages
        return (RawHeader, (self.name, str(self)))

    def fold(self, *, policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


class FoldedOnce:
    """A shared header's folding, kept per folding policy: the same header in every message
    folds to the same line, and folding is the other half of a header's cost."""

    def fold(self, *, policy):
        key = (policy.max_line_length, policy.utf8, policy.linesep)  # all folding reads
        folds = self.__dict__.setdefault("_folds", {})
        folded = folds.get(key)
        if folded is None:
            folded = folds[key] = super().fold(policy=policy)
        return folded


class SharedHeaders(HeaderRegistry):
    """The email policy's header factory, parsing once per process the headers every reminder
    carries alike (content types, transfer encodings, MIME version, sender, and the date,
    alike for every message sent in the same second) rather than once per message: parsing
    and folding headers is most of the cost of turning an email into bytes. A parsed header is
    immutable (a message that changes one replaces it), so messages can share it."""

    SHARED = frozenset(
        {"content-type", "content-transfer-encoding", "mime-version", "from", "date"}
    )
    LIMIT = 256

    def __init__(self):
        super().__init__()
        self.parsed = {}
        self.classes = {}

    def __getitem__(self, name):
        # The registry makes a new class on every call, which costs more than many headers'
        # parsing: one class per header name per process serves as well.
        key = name.lower()
        cls = self.classes.get(key)
        if cls is None:
            base = self.registry.get(key, self.default_class)
            mixins = (FoldedOnce,) if key in self.SHARED else ()
            bases = (*mixins, base, self.base_class)
            cls = self.classes[key] = type(f"_{base.__name__}", bases, {})
        return cls

    def __call__(self, name, value):
        if name.lower() not in self.SHARED:
            return super().__call__(name, value)
        if isinstance(value, dt.datetime):
            # Django dates each message with the current time; the header writes whole
            # seconds, so every message of the same second shares one.
            value = value.replace(microsecond=0)
        elif "boundary=" in value:
            return super().__call__(name, value)  # new in every message: nothing to share
        header = self.parsed.get((name, value))
        if header is None:
            if len(self.parsed) >= self.LIMIT:
                self.parsed.clear()
            header = self.parsed[name, value] = super().__call__(name, value)
        return header


_policies = {}


class ReminderEmail(EmailMultiAlternatives):
    """Django's message, cheaper to make by the thousand and byte for byte the same but for
    its boundary: headers through `SharedHeaders`, and the MIME boundary chosen up front (128
    random bits no body can contain), so the email package need not compile a pattern and
    search every part for a boundary of its own, once per message."""

    def message(self, *, policy=email.policy.default):
        shared = _policies.get(policy)
        if shared is None:
            shared = _policies[policy] = policy.clone(header_factory=SharedHeaders())
        message = super().message(policy=shared)
        message.set_boundary(f"==============={secrets.token_hex(16)}==")
        return message


def build(delivery: Delivery, *, history: dict | None = None) -> EmailMultiAlternatives | None:
    """The message for a delivery, or None when there is nothing to say any more (the
    follow-up was done or snoozed since the row was made, or a digest has nothing due).
    `history` is the batch's `selectors.last_interactions`, read once for all its rows; without
    it the reminder reads its contact's last conversation itself."""
    user = delivery.owner
    if delivery.kind == DeliveryKind.REMINDER:
        follow_up = delivery.follow_up
        if (
            follow_up is None
            or follow_up.status != FollowUpStatus.OPEN
            or follow_up.due_at != delivery.due_at
            or not user.reminder_emails_enabled
        ):
            return None
        context = _reminder_context(follow_up, history=history)
        template, which = "followup", "reminders"
    elif delivery.kind == DeliveryKind.DIGEST:
        if not user.reminder_emails_enabled:
            return None
        sections = selectors.digest_followups(user)
        if not (sections.overdue or sections.due_today):
            return None
        items = sections.overdue + sections.due_today
        # The email lists the most urgent ones (each of Today's lists is capped); the counts
        # stay exact: everything open and due by the end of the user's today.
        total = selectors.nav_due_count(user)
        context = {
            "sections": sections,
            "total": total,
            "more": max(0, total - len(items)),
            "items": [_reminder_context(f, with_history=False) for f in items],
        }
        template, which = "digest", "reminders"
    else:
        if not user.weekly_review_enabled:
            return None
        context = {"review": selectors.weekly_review(user)}
        template, which = "weekly", "weekly"
    unsubscribe = links.unsubscribe_url(user=user, which=which)
    context.update(
        user=user,
        zone=user.zone,
        site_url=settings.SITE_URL,
        unsubscribe_url=unsubscribe,
        today_url=links.absolute(path_to("reminders:today")),
        settings_url=links.absolute(path_to("accounts:settings")),
    )
    with timezone.override(user.zone):
        subject = " ".join(
            render_to_string(f"reminders/email/{template}_subject.txt", context).split()
        )
        text = render_to_string(f"reminders/email/{template}.txt", context)
        html = render_to_string(f"reminders/email/{template}.html", context)
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    message = ReminderEmail(
        subject=subject,
        body=text,
        to=[user.email],
        headers={
            # Stable per delivery: if the narrow at-least-once window ever resends it, mail
            # clients see the same Message-ID and show one message.
            "Message-ID": RawHeader("Message-ID", f"<delivery-{delivery.pk}@{domain}>"),
            "List-Unsubscribe": RawHeader("List-Unsubscribe", f"<{unsubscribe}>"),
            "List-Unsubscribe-Post": RawHeader(
                "List-Unsubscribe-Post", "List-Unsubscribe=One-Click"
            ),
            "Auto-Submitted": RawHeader("Auto-Submitted", "auto-generated"),
            "X-Followthrough-Delivery": RawHeader("X-Followthrough-Delivery", str(delivery.pk)),
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _reminder_context(follow_up, *, with_history: bool = True, history=None) -> dict:
    query = f"?contact={follow_up.contact_id}&followup={follow_up.pk}"
    context = {
        "follow_up": follow_up,
        "contact": follow_up.contact,
        "opportunity": follow_up.opportunity,
        "done_url": links.action_url(action="done", follow_up=follow_up),
        "snooze3_url": links.action_url(action="snooze3", follow_up=follow_up),
        "snooze7_url": links.action_url(action="snooze7", follow_up=follow_up),
        "log_url": links.absolute(path_to("interactions:new") + query),
        "edit_url": links.absolute(path_to("reminders:followup_edit", follow_up.pk)),
    }
    if history is not None:
        context["last_interaction"] = history.get(follow_up.contact_id)
    elif with_history:
        context["last_interaction"] = selectors.last_interaction(follow_up.contact)
    return context
