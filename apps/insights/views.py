import re

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from apps.contacts.models import Contact
from apps.core.http import form_status, owned_or_404, render_form
from apps.insights import attribution, charts, drilldowns, snapshots
from apps.insights.db import report_transaction
from apps.insights.ranges import RangeForm
from apps.insights.reports import channels as channel_report
from apps.insights.reports import companies, contacts_led, follow_through, give_and_ask
from apps.insights.reports import funnel as funnel_report
from apps.insights.strength import strength_for

PAGE_SIZE = 50
LEADING_SPACE = re.compile(r"\n\s+")  # indentation and blank lines


def _range(request):
    form = RangeForm(request.GET if request.GET else None)
    return form, form.date_range(request.user.zone)


def _report(user, rng, params, now) -> dict:
    view = attribution.view_from(params)
    credit = attribution.attribute(user, rng, view)
    channels = channel_report.channel_return(user, rng, credit)
    funnel = funnel_report.pipeline_funnel(user, rng)
    follow = follow_through.follow_through(user, rng, now=now)
    return {
        "rng": rng,
        "view": view,
        "views": attribution.VIEWS,
        "view_label": attribution.VIEWS[view],
        "chain_depth": attribution.MAX_CHAIN_DEPTH,
        "default_minutes": attribution.DEFAULT_MINUTES,
        "attribution": contacts_led.contacts_led(user, rng, credit, now=now),
        "channels": channels,
        "channel_chart": charts.channel_bars(channels["rows"]),
        "funnel": funnel,
        "funnel_chart": charts.funnel_bars(funnel["steps"]),
        "follow": follow,
        "trend_chart": charts.trend_columns(follow["weeks"]),
        "give_ask": give_and_ask.give_and_ask(user, rng, now=now),
        "targets": companies.target_companies(user, now=now),
    }


@login_required
@require_GET
def insights(request):
    form, rng = _range(request)
    # The template's sections (weekly targets, ways in) query too: they render in the same read
    # transaction, so they see the same data and run without JIT as well.
    with report_transaction():
        now = timezone.now()

        def render_report():
            context = {**_report(request.user, rng, request.GET, now), "form": form, "now": now}
            # Without the request: the report depends on the user and the range only, and the
            # page's own render runs the context processors (the navigation) once.
            context["user"] = request.user
            html = render_to_string("insights/insights.html#report", context)
            # Template indentation is a sixth of the bytes on a large account; the page has no
            # <pre> or <textarea>, the only places where leading spaces would show.
            return LEADING_SPACE.sub("\n", html)

        if form.errors:
            # A bad custom range answers 400 with the report of the default range, the form
            # keeping what was typed; never kept, since it shows the errors.
            report = render_report()
        else:
            parts = (rng.start, rng.end, rng.preset, attribution.view_from(request.GET))
            report = snapshots.report_html(request.user, parts, render_report)
    if request.htmx:
        return HttpResponse(report, status=form_status(form))
    context = {"form": form, "rng": rng, "report": mark_safe(report)}  # noqa: S308 - our own
    response = render_form(request, "insights/insights.html", context, form=form)
    response.content = LEADING_SPACE.sub("\n", response.content.decode()).encode()
    return response


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _owned_contact(request, key):
    return owned_or_404(Contact, request.user, request.GET.get(key), optional=True)


def _drilldown(request, kind, build, page_hook=None, **extra):
    """One drill-down page: the range, the rows `build` selects for it, one page of them."""
    form, rng = _range(request)
    result = build(request.user, rng, request.GET)
    page = _page(request, result["queryset"])
    if page_hook:
        page_hook(page, result)
    context = {
        "kind": kind,
        "title": result["title"],
        "page": page,
        "rng": rng,
        "form": form,
        "credit_total": result.get("credit_total"),
        **extra,
    }
    return render_form(request, "insights/drilldown.html", context, form=form)


@login_required
@require_GET
def opportunities(request):
    """The exact cohort opportunities behind a figure on the page."""
    contact = _owned_contact(request, "contact")

    def label_credits(page, result):
        # Label the (at most PAGE_SIZE) listed rows with how the contact is credited.
        credits, shares = result.get("credits", {}), result.get("shares")
        lone = result.get("no_relationship", set())
        for opportunity in page:
            opportunity.credit = credits.get(opportunity.pk)
            if shares is not None:
                opportunity.share = shares.get(opportunity.pk, 0.0)
                opportunity.no_relationship = opportunity.pk in lone

    return _drilldown(
        request,
        "opportunities",
        lambda user, rng, params: drilldowns.opportunities(user, rng, params, contact=contact),
        page_hook=label_credits,
        contact=contact,
    )


@login_required
@require_GET
def interactions(request):
    contact = _owned_contact(request, "contact")
    return _drilldown(
        request,
        "interactions",
        lambda user, rng, params: drilldowns.interactions(user, rng, params, contact=contact),
    )


@login_required
@require_GET
def contacts(request):
    introducer = _owned_contact(request, "introduced_by")

    def with_strength(page, result):
        # Beside each listed person's hand-set warmth: the strength their history shows.
        strengths = strength_for(request.user, [person.pk for person in page])
        for person in page:
            person.strength = strengths.get(person.pk)

    return _drilldown(
        request,
        "contacts",
        lambda user, rng, params: drilldowns.contacts(user, rng, params, introducer=introducer),
        page_hook=with_strength,
    )


@login_required
@require_GET
def follow_ups(request):
    return _drilldown(
        request,
        "follow_ups",
        lambda user, rng, params: follow_through.drilldown(user, rng, params, now=timezone.now()),
    )
