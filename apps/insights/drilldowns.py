"""The rows behind each figure: the same definitions as the selectors, as listable querysets."""

from django.db.models import Exists, F, OuterRef, Prefetch, Q

from apps.contacts.models import Contact
from apps.core.choices import Channel
from apps.core.params import is_id
from apps.insights import attribution, selectors
from apps.insights.ranges import DateRange
from apps.insights.reports.channels import credited_to_channel
from apps.insights.reports.met import met_between, with_met_at
from apps.interactions.models import LOW_WEIGHT_KINDS, Interaction
from apps.opportunities.models import OPEN_STAGES, PersonRole, Stage, StageChange

PIPELINE_VALUES = [s.value for s in selectors.PIPELINE]
LOST_VALUES = [s.value for s in selectors.LOST_STAGES]


def _channel(params):
    value = params.get("channel")
    return value if value in Channel.values else None


def opportunities(user, rng: DateRange, params, *, contact=None) -> dict:
    queryset = (
        selectors.opportunity_cohort(user, rng)
        .select_related("organization")
        .order_by("-created_at", "-pk")
    )
    parts = []
    stage = params.get("reached")
    if stage in PIPELINE_VALUES:
        queryset = queryset.filter(selectors.reached(Stage(stage)))
        parts.append(f"reached {Stage(stage).label.lower()}")
    lost = params.get("lost")
    if lost in LOST_VALUES or lost == "any":
        changes = StageChange.objects.filter(
            opportunity=OuterRef("pk"),
            to_stage__in=LOST_VALUES if lost == "any" else [lost],
        )
        lost_from = params.get("lost_from")
        if lost_from is not None and (lost_from in PIPELINE_VALUES or lost_from == ""):
            changes = changes.filter(from_stage=lost_from)
            where = Stage(lost_from).label.lower() if lost_from else "the start"
            parts.append(f"{'lost' if lost == 'any' else lost} from {where}")
        else:
            parts.append("lost" if lost == "any" else lost)
        queryset = queryset.filter(Exists(changes))
    if params.get("open") == "1":
        queryset = queryset.filter(stage__in=OPEN_STAGES)
        parts.append("still open")
    result = {}
    channel = _channel(params)
    if channel or params.get("role") == "credit":
        # Credited results: the rows are the opportunities with a share, the figure their sum.
        credit = attribution.attribute(user, rng, attribution.view_from(params))
        if channel:
            shares = credited_to_channel(credit, channel)
            view = attribution.VIEWS[credit.view].lower()
            parts.append(f"credited to {Channel(channel).label} ({view})")
        else:
            shares = {
                o.id: o.people[contact.pk]
                for o in credit.opportunities
                if contact and contact.pk in o.people
            }
        result["shares"] = shares
        result["no_relationship"] = {o.id for o in credit.opportunities if o.no_relationship}
        queryset = queryset.filter(pk__in=list(shares))
    organization = params.get("organization")
    if organization and is_id(organization):
        queryset = queryset.filter(organization_id=int(organization))
        parts.append("at one organization")
    if params.get("referred") == "1":
        queryset = queryset.filter(selectors._has_referrer())
        parts.append("with a referrer")
    if contact is not None and params.get("role") == "credit":
        parts.append(f"credited in part to {contact.full_name}")
    elif contact is not None:
        credits = selectors.credited_opportunities(user, rng, contact.pk)
        role = params.get("role")
        if role == "indirect":
            credits = {k: v for k, v in credits.items() if v[0] == "indirect"}
            parts.append(f"credited to {contact.full_name} through introductions")
        elif role == "direct":
            credits = {k: v for k, v in credits.items() if v[0] != "indirect"}
            parts.append(f"{contact.full_name} is on")
        elif role in PersonRole.values:
            role_label = PersonRole(role).label.lower()
            queryset = queryset.filter(people__contact=contact, people__role=role)
            parts.append(f"with {contact.full_name} as {role_label}")
        else:
            parts.append(f"credited to {contact.full_name}")
        queryset = queryset.filter(pk__in=list(credits))
        result["credits"] = credits
    result["title"] = "Opportunities " + (", ".join(parts) if parts else "created in the range")
    result["queryset"] = queryset.distinct()
    if "shares" in result:
        # Sum over the rows listed, whatever the other filters kept.
        kept = set(result["queryset"].values_list("pk", flat=True))
        result["credit_total"] = sum(v for k, v in result["shares"].items() if k in kept)
    return result


def interactions(user, rng: DateRange, params, *, contact=None) -> dict:
    queryset = (
        Interaction.objects.owned_by(user)
        .filter(selectors.in_range("occurred_at", rng))
        .prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.owned_by(user).only("pk", "full_name"))
        )
        .order_by("-occurred_at", "-pk")
    )
    parts = []
    weight = params.get("weight")
    if weight == "conversation":
        queryset = queryset.exclude(kind__in=LOW_WEIGHT_KINDS)
        parts.append("Conversations")
    elif weight == "touch":
        queryset = queryset.filter(kind__in=LOW_WEIGHT_KINDS)
        parts.append("Light touches (likes, comments)")
    else:
        parts.append("Interactions")
    channel = _channel(params)
    if channel:
        queryset = queryset.filter(channel=channel)
        parts.append(f"on {Channel(channel).label}")
    if params.get("referral_ask") == "1":
        queryset = queryset.filter(asked_referral=True)
        parts.append("where I asked for a referral")
    if params.get("gave") == "1":
        queryset = queryset.exclude(gave="")
        parts.append("where I gave something")
    if contact is not None:
        queryset = queryset.filter(contacts=contact)
        parts.append(f"with {contact.full_name}")
        give_ask = params.get("give_ask")
        if give_ask == "gave":
            queryset = queryset.exclude(gave="")
            parts.append("where I gave something")
        elif give_ask == "asked":
            queryset = queryset.filter(~Q(asked="") | Q(asked_referral=True))
            parts.append("where I asked for something")
    return {"title": " ".join(parts), "queryset": queryset}


def contacts(user, rng: DateRange, params, *, introducer=None) -> dict:
    if introducer is not None:
        # Introductions count the contacts added in the range that this contact introduced.
        queryset = (
            Contact.objects.owned_by(user)
            .filter(selectors.in_range("created_at", rng), introduced_by=introducer)
            .annotate(met_at=F("created_at"))
        )
        parts = [f"Contacts introduced by {introducer.full_name}"]
    else:
        queryset = with_met_at(met_between(user, rng.start, rng.end), user)
        parts = ["People met"]
    channel = _channel(params)
    if channel:
        queryset = queryset.filter(channel=channel)
        parts.append(f"through {Channel(channel).label}")
    queryset = queryset.select_related("organization").order_by("-met_at", "-pk")
    return {"title": " ".join(parts), "queryset": queryset}


OUTCOMES = {
    "on_time": "Follow-ups done on or before their due day",
    "late": "Follow-ups done after their due day",
    "missed": "Follow-ups still open after their due day",
    "pending": "Follow-ups due today, not done yet",
    "overdue": "Follow-ups overdue now",
}


def follow_ups(user, rng: DateRange, params, *, now) -> dict:
    rows = selectors.follow_up_rows(user, rng, now)
    queryset = rows.queryset.select_related("contact").order_by("due_at", "pk")
    outcome = params.get("outcome")
    if outcome == "overdue":
        return {"title": OUTCOMES[outcome], "queryset": queryset.filter(rows.outcomes[outcome])}
    queryset = queryset.filter(rows.in_range)
    if outcome in OUTCOMES:
        return {"title": OUTCOMES[outcome], "queryset": queryset.filter(rows.outcomes[outcome])}
    return {"title": "Follow-ups due in the range", "queryset": queryset}
