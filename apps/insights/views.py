from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.contacts.models import Contact
from apps.core.params import is_id
from apps.insights import charts, drilldowns, selectors
from apps.insights.ranges import RangeForm

PAGE_SIZE = 50


def _range(request):
    form = RangeForm(request.GET if request.GET else None)
    invalid = form.is_bound and not form.is_valid()
    return form, form.date_range(request.user.zone), invalid


@login_required
@require_GET
def insights(request):
    form, rng, invalid = _range(request)
    user, now = request.user, timezone.now()
    channels = selectors.channel_return(user, rng)
    funnel = selectors.pipeline_funnel(user, rng)
    follow = selectors.follow_through(user, rng, now=now)
    context = {
        "form": form,
        "rng": rng,
        "attribution": selectors.contact_attribution(user, rng),
        "channels": channels,
        "channel_chart": charts.channel_bars(channels["rows"]),
        "funnel": funnel,
        "funnel_chart": charts.funnel_bars(funnel["steps"]),
        "follow": follow,
        "trend_chart": charts.trend_columns(follow["weeks"]),
        "give_ask": selectors.give_and_ask(user, rng, now=now),
        "targets": selectors.target_companies(user),
    }
    # htmx swaps 400s too (see the template); a bad custom range keeps what the user typed.
    status = 400 if invalid and not request.htmx else 200
    template = "insights/insights.html#report" if request.htmx else "insights/insights.html"
    return render(request, template, context, status=status)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _owned_contact(request, key):
    value = request.GET.get(key)
    if not value:
        return None
    if not is_id(value):
        return get_object_or_404(Contact.objects.none(), pk=0)
    return get_object_or_404(Contact.objects.owned_by(request.user), pk=int(value))


def _render_drilldown(request, kind, title, page, rng, form, invalid, **extra):
    context = {"kind": kind, "title": title, "page": page, "rng": rng, "form": form, **extra}
    return render(request, "insights/drilldown.html", context, status=400 if invalid else 200)


@login_required
@require_GET
def opportunities(request):
    """The exact cohort opportunities behind a figure on the page."""
    form, rng, invalid = _range(request)
    contact = _owned_contact(request, "contact")
    result = drilldowns.opportunities(request.user, rng, request.GET, contact=contact)
    page = _page(request, result["queryset"])
    credits = result.get("credits", {})
    # Label the (at most PAGE_SIZE) listed rows with how the contact is credited.
    for opportunity in page:
        opportunity.credit = credits.get(opportunity.pk)
    return _render_drilldown(
        request, "opportunities", result["title"], page, rng, form, invalid, contact=contact
    )


@login_required
@require_GET
def interactions(request):
    form, rng, invalid = _range(request)
    contact = _owned_contact(request, "contact")
    result = drilldowns.interactions(request.user, rng, request.GET, contact=contact)
    return _render_drilldown(
        request,
        "interactions",
        result["title"],
        _page(request, result["queryset"]),
        rng,
        form,
        invalid,
    )


@login_required
@require_GET
def contacts(request):
    form, rng, invalid = _range(request)
    introducer = _owned_contact(request, "introduced_by")
    result = drilldowns.contacts(request.user, rng, request.GET, introducer=introducer)
    return _render_drilldown(
        request,
        "contacts",
        result["title"],
        _page(request, result["queryset"]),
        rng,
        form,
        invalid,
    )


@login_required
@require_GET
def follow_ups(request):
    form, rng, invalid = _range(request)
    result = drilldowns.follow_ups(request.user, rng, request.GET, now=timezone.now())
    return _render_drilldown(
        request,
        "follow_ups",
        result["title"],
        _page(request, result["queryset"]),
        rng,
        form,
        invalid,
    )
