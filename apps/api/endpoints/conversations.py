from django.db.models import Prefetch
from ninja import Router, Status

from apps.api import auth, formdata
from apps.api.endpoints import ERRORS, WRITE_ERRORS
from apps.api.problems import Problem, invalid
from apps.api.schemas import ConversationIn, ConversationOut
from apps.contacts.models import Contact
from apps.core.http import owned_or_404
from apps.interactions import services
from apps.interactions.forms import InteractionForm
from apps.interactions.models import Interaction
from apps.reminders.models import FollowUp, FollowUpStatus

router = Router(tags=["conversations"])

FROM_FORM = {
    "minutes_custom": "minutes",
    "opportunity": "opportunity_id",
    "follow_up": "follow_up_in_days",
    "follow_up_date": "follow_up_on",
}


def _form_fields(payload: ConversationIn) -> dict:
    """The quick log's fields, as its form would receive them from the page."""
    sent = payload.dict(exclude_unset=True)
    fields = {
        name: value
        for name, value in sent.items()
        if name
        in {"contacts", "new_contacts", "summary", "kind", "channel", "direction", "occurred_at"}
        | {"gave", "asked", "asked_referral", "notes", "follow_up_time", "follow_up_note"}
        and value is not None
    }
    if payload.minutes is not None:
        fields["minutes_custom"] = payload.minutes
    if payload.opportunity_id is not None:
        fields["opportunity"] = payload.opportunity_id
    if payload.follow_up_in_days is not None:
        fields["follow_up"] = str(payload.follow_up_in_days)
    elif payload.follow_up_on is not None:
        fields["follow_up"] = "custom"
        fields["follow_up_date"] = payload.follow_up_on
    return fields


def _read(user, pk) -> Interaction:
    planned = FollowUp.objects.select_related("contact").order_by("due_at", "pk")
    queryset = Interaction.objects.prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.order_by("full_name", "pk")),
        Prefetch("followups", queryset=planned, to_attr="planned_follow_ups"),
    )
    return owned_or_404(queryset, user, pk)


@router.get("/{int:conversation_id}", response={200: ConversationOut, **ERRORS}, auth=auth.read)
def read_conversation(request, conversation_id: int):
    return _read(request.user, conversation_id)


@router.post("", response={201: ConversationOut, **WRITE_ERRORS}, auth=auth.write)
def log_conversation(request, payload: ConversationIn):
    """Log a conversation exactly as the quick log does: contacts by id or new names, time
    spent, what you gave and asked, and an optional follow-up (in 3, 7 or 14 days, or on a
    date). Naming the follow-up it answers marks that one done."""
    user = request.user
    answered = owned_or_404(FollowUp, user, payload.completes_follow_up_id, optional=True)
    if answered is not None and answered.status != FollowUpStatus.OPEN:
        raise Problem(409, "That follow-up is already closed.")
    if payload.follow_up_in_days is not None and payload.follow_up_on is not None:
        raise Problem(422, "Give follow_up_in_days or follow_up_on, not both.")
    form = formdata.bind(InteractionForm, _form_fields(payload), user=user)
    if not form.is_valid():
        raise invalid(form, rename=FROM_FORM)
    data = form.cleaned_data
    interaction = services.log_interaction(
        owner=user,
        contacts=data["contacts"],
        summary=data["summary"],
        new_contact_names=data["new_contacts"],
        follow_up_at=data["follow_up_at"],
        follow_up_note=data["follow_up_note"],
        complete_follow_up=answered,
        **form.service_fields(),
    )
    return Status(201, _read(user, interaction.pk))
