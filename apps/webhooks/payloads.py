"""What each event says, as plain JSON: ids, names and times, with a link to the record's page.
Notes stay out (they can be long and private); the API reads the rest by id."""

from apps.contacts.models import Contact
from apps.interactions.models import Interaction
from apps.webhooks.services import absolute


def _when(value):
    return value.isoformat().replace("+00:00", "Z") if value else None


def conversations(interactions) -> list[dict]:
    """One payload per conversation; their contacts read in one query for the lot."""
    people = {interaction.pk: [] for interaction in interactions}
    links = (
        Interaction.contacts.through.objects.filter(interaction_id__in=list(people))
        .order_by("contact_id")
        .values_list("interaction_id", "contact_id", "contact__full_name")
    )
    for interaction_id, contact_id, name in links:
        people[interaction_id].append({"id": contact_id, "name": name})
    return [
        {
            "conversation": {
                "id": interaction.pk,
                "occurred_at": _when(interaction.occurred_at),
                "channel": interaction.channel,
                "direction": interaction.direction,
                "kind": interaction.kind,
                "minutes": interaction.minutes,
                "summary": interaction.summary,
                "gave": interaction.gave,
                "asked": interaction.asked,
                "asked_referral": interaction.asked_referral,
                "opportunity_id": interaction.opportunity_id,
                "contacts": people[interaction.pk],
                "url": absolute(interaction.get_absolute_url()),
            }
        }
        for interaction in interactions
    ]


def stage_change(opportunity, change) -> dict:
    organization = opportunity.organization
    return {
        "opportunity": {
            "id": opportunity.pk,
            "role_title": opportunity.role_title,
            "organization": organization.name if organization is not None else None,
            "stage": opportunity.stage,
            "url": absolute(opportunity.get_absolute_url()),
        },
        "from_stage": change.from_stage,
        "to_stage": change.to_stage,
        "changed_at": _when(change.changed_at),
    }


def follow_ups_done(follow_ups) -> list[dict]:
    """One payload per follow-up; their contacts' names read in one query for the lot."""
    names = dict(
        Contact.objects.filter(pk__in={f.contact_id for f in follow_ups}).values_list(
            "pk", "full_name"
        )
    )
    return [
        {
            "follow_up": {
                "id": follow_up.pk,
                "kind": follow_up.kind,
                "note": follow_up.note,
                "due_at": _when(follow_up.due_at),
                "completed_at": _when(follow_up.completed_at),
                "contact": {"id": follow_up.contact_id, "name": names.get(follow_up.contact_id)},
                "opportunity_id": follow_up.opportunity_id,
            }
        }
        for follow_up in follow_ups
    ]
