"""What each event says, as plain JSON: ids, names and times, with a link to the record's page.
Notes stay out (they can be long and private); the API reads the rest by id."""

from apps.webhooks.services import absolute


def _when(value):
    return value.isoformat().replace("+00:00", "Z") if value else None


def conversation(interaction) -> dict:
    return {
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
            "contacts": [
                {"id": c.pk, "name": c.full_name}
                for c in interaction.contacts.order_by("pk").only("pk", "full_name")
            ],
            "url": absolute(interaction.get_absolute_url()),
        }
    }


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


def follow_up_done(follow_up) -> dict:
    contact = follow_up.contact
    return {
        "follow_up": {
            "id": follow_up.pk,
            "kind": follow_up.kind,
            "note": follow_up.note,
            "due_at": _when(follow_up.due_at),
            "completed_at": _when(follow_up.completed_at),
            "contact": {"id": contact.pk, "name": contact.full_name},
            "opportunity_id": follow_up.opportunity_id,
        }
    }
