"""The drill-down pages: the rows behind each figure, as listable querysets. Each report module
defines the filters behind its own figures; these put them together for one page of rows."""

from django.db.models import Exists, F, OuterRef, Prefetch, Q

from apps.contacts.models import Contact
from apps.core.choices import Channel
from apps.core.params import is_id
from apps.insights import attribution, selectors
from apps.insights.ranges import DateRange
from apps.insights.reports import contacts_led, funnel
from apps.insights.reports.channels import credited_to_channel
from apps.insights.reports.met import met_between, with_met_at
from apps.interactions.models import LOW_WEIGHT_KINDS, Interaction
from apps.opportunities.models import OpportunityContact, PersonRole


def _channel(params):
    value = params.get("channel")
    return value if value in Channel.values else None


def opportunities(user, rng: DateRange, params, *, contact=None) -> dict:
    queryset = (
        selectors.opportunity_cohort(user, rng)
        .select_related("organization")
        .order_by("-created_at", "-pk")
    )
    queryset, parts = funnel.filter_opportunities(queryset, params)
    result = {}
    credit = None
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
        queryset = queryset.filter(
            Exists(
                OpportunityContact.objects.filter(
                    opportunity=OuterRef("pk"), role=PersonRole.REFERRER
                )
            )
        )
        parts.append("with a referrer")
    if contact is not None and params.get("role") == "credit":
        parts.append(f"credited in part to {contact.full_name}")
    elif contact is not None:
        # Who is credited does not depend on the channel view: first touch skips a query, and
        # the model is computed once when the channel filter needed it already.
        credit = credit or attribution.attribute(user, rng, attribution.FIRST)
        queryset, credits, part = contacts_led.filter_opportunities(
            queryset, params, credit, contact
        )
        parts.append(part)
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
