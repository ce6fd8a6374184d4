from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from apps.contacts.models import Contact, Organization
from apps.core.choices import Channel
from apps.core.http import form_status, next_url, owned_or_404, render_form
from apps.opportunities import selectors, services
from apps.opportunities.forms import (
    InterviewForm,
    MoveForm,
    NewOpportunityForm,
    OpportunityFilterForm,
    OpportunityForm,
    PersonForm,
)
from apps.opportunities.models import InterviewRound, Opportunity, OpportunityContact, Stage

FORM_PAGE = "opportunities/form.html"
FORM_PARTIAL = "opportunity-form"


def _owned_opportunity(request, pk) -> Opportunity:
    return owned_or_404(Opportunity.objects.select_related("organization"), request.user, pk)


def _to_detail(request, opportunity):
    url = opportunity.get_absolute_url()
    # An htmx form post must load the new page, not swap it into the form.
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@login_required
def board(request):
    context = selectors.board(user=request.user)
    template = "opportunities/board.html#board" if request.htmx else "opportunities/board.html"
    return render(request, template, context)


@login_required
@require_POST
def move(request, pk):
    opportunity = _owned_opportunity(request, pk)
    form = MoveForm(request.POST)
    status = 200
    if form.is_valid():
        change = services.move_to_stage(
            owner=request.user, opportunity=opportunity, stage=form.cleaned_data["stage"]
        )
        label = opportunity.get_stage_display()
        notice = (
            f"“{opportunity.role_title}” moved to {label}."
            if change
            else f"“{opportunity.role_title}” is already in {label}."
        )
    else:
        status = 400
        notice = " ".join(form.errors["stage"])
    moved_to = form.cleaned_data["stage"] if status == 200 else None
    if request.htmx:
        context = selectors.board(user=request.user, moved_to=moved_to)
        context.update(moved_id=opportunity.pk, notice=notice, notice_is_error=status == 400)
        return render(request, "opportunities/board.html#board", context, status=status)
    if status == 400:
        messages.error(request, notice)
        context = selectors.board(user=request.user)
        return render(request, "opportunities/board.html", context, status=400)
    messages.success(request, notice)
    return redirect(next_url(request, "opportunities:board"))


@login_required
def opportunity_list(request):
    form = OpportunityFilterForm(request.GET or None, owner=request.user)
    filters = form.cleaned_or_empty()
    page = selectors.opportunity_page(
        user=request.user, filters=filters, page_number=request.GET.get("page")
    )
    template = "opportunities/list.html#results" if request.htmx else "opportunities/list.html"
    return render(request, template, {"form": form, "page": page, "today": timezone.localdate()})


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_new(request):
    referrer = owned_or_404(Contact, request.user, request.GET.get("referrer"), optional=True)
    organization = owned_or_404(
        Organization, request.user, request.GET.get("organization"), optional=True
    )
    initial = {}
    if referrer:
        initial.update(
            referrer=referrer.pk,
            stage=Stage.REFERRED,
            source_channel=Channel.REFERRAL,
            organization=referrer.organization_id,
        )
    if organization:
        initial["organization"] = organization.pk
    form = NewOpportunityForm(request.POST or None, owner=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        opportunity = services.create_opportunity(owner=request.user, **form.service_fields())
        messages.success(request, f"Added “{opportunity.role_title}”.")
        return _to_detail(request, opportunity)
    context = {"form": form, "referrer": referrer, "action": request.get_full_path()}
    return render_form(request, FORM_PAGE, context, form=form, partial=FORM_PARTIAL)


def _detail_context(request, opportunity, person_form=None, interview_form=None) -> dict:
    return {
        "opportunity": opportunity,
        "interviews": selectors.interviews_on(opportunity=opportunity),
        "interview_form": interview_form
        or InterviewForm(owner=request.user, opportunity=opportunity),
        "people": selectors.people_on(opportunity=opportunity),
        "person_form": person_form or PersonForm(owner=request.user),
        "interactions": selectors.linked_interactions(opportunity=opportunity),
        "timeline": selectors.stage_timeline(opportunity=opportunity),
        "stage_choices": Stage.choices,
    }


@login_required
def opportunity_detail(request, pk):
    opportunity = _owned_opportunity(request, pk)
    return render(request, "opportunities/detail.html", _detail_context(request, opportunity))


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_edit(request, pk):
    opportunity = _owned_opportunity(request, pk)
    form = OpportunityForm(request.POST or None, owner=request.user, instance=opportunity)
    if request.method == "POST" and form.is_valid():
        services.update_opportunity(
            owner=request.user, opportunity=opportunity, **form.service_fields()
        )
        messages.success(request, "Saved.")
        return _to_detail(request, opportunity)
    context = {"form": form, "opportunity": opportunity, "action": request.path}
    return render_form(request, FORM_PAGE, context, form=form, partial=FORM_PARTIAL)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_delete(request, pk):
    opportunity = _owned_opportunity(request, pk)
    if request.method == "POST":
        title = opportunity.role_title
        services.delete_opportunity(owner=request.user, opportunity=opportunity)
        messages.success(request, f"Deleted “{title}”.")
        return redirect("opportunities:board")
    return render(request, "opportunities/delete.html", {"opportunity": opportunity})


def _people_response(request, opportunity, form, status=200, notice=""):
    if request.htmx:
        context = {
            "opportunity": opportunity,
            "people": selectors.people_on(opportunity=opportunity),
            "person_form": form,
            "notice": notice,
        }
        return render(request, "opportunities/detail.html#people", context, status=status)
    if status == 400 or form.finding:
        # A refused person, or a "Find" without JavaScript: the page again, the form as typed.
        return render(
            request,
            "opportunities/detail.html",
            _detail_context(request, opportunity, person_form=form),
            status=status,
        )
    if notice:
        messages.success(request, notice)
    return redirect(opportunity.get_absolute_url() + "#people")


@login_required
@require_POST
def person_add(request, pk):
    opportunity = _owned_opportunity(request, pk)
    form = PersonForm(request.POST, owner=request.user)
    if form.is_valid():
        try:
            person = services.add_person(
                owner=request.user,
                opportunity=opportunity,
                contact=form.cleaned_data["contact"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _people_response(
                request, opportunity, PersonForm(owner=request.user), notice=f"Added {person}."
            )
    return _people_response(request, opportunity, form, status=200 if form.finding else 400)


@login_required
@require_POST
def person_remove(request, pk, person_pk):
    opportunity = _owned_opportunity(request, pk)
    people = OpportunityContact.objects.select_related("contact").filter(opportunity=opportunity)
    person = owned_or_404(people, request.user, person_pk)
    services.remove_person(owner=request.user, person=person)
    return _people_response(
        request, opportunity, PersonForm(owner=request.user), notice=f"Removed {person}."
    )


@login_required
@require_POST
def interview_add(request, pk):
    opportunity = _owned_opportunity(request, pk)
    form = InterviewForm(request.POST, owner=request.user, opportunity=opportunity)
    if form.is_valid():
        try:
            interview = services.save_interview(
                owner=request.user, opportunity=opportunity, **form.service_fields()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, f"Added “{interview.title}”; a thank-you follows the next morning."
            )
            return redirect(opportunity.get_absolute_url() + "#interviews")
    context = _detail_context(request, opportunity, interview_form=form)
    # "Find" without JavaScript redraws the page with the matches: 200, nothing saved.
    return render(request, "opportunities/detail.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def interview_edit(request, pk, interview_pk):
    opportunity = _owned_opportunity(request, pk)
    interview = owned_or_404(
        InterviewRound.objects.filter(opportunity=opportunity), request.user, interview_pk
    )
    form = InterviewForm.for_interview(
        owner=request.user, interview=interview, data=request.POST or None
    )
    if request.method == "POST" and form.is_valid():
        services.save_interview(
            owner=request.user,
            opportunity=opportunity,
            interview=interview,
            **form.service_fields(),
        )
        messages.success(request, f"Saved “{interview.title}”.")
        return redirect(opportunity.get_absolute_url() + "#interviews")
    context = {"form": form, "opportunity": opportunity, "interview": interview}
    status = form_status(form) if request.method == "POST" else 200
    return render(request, "opportunities/interview_form.html", context, status=status)


@login_required
@require_POST
def interview_delete(request, pk, interview_pk):
    opportunity = _owned_opportunity(request, pk)
    interview = owned_or_404(
        InterviewRound.objects.filter(opportunity=opportunity), request.user, interview_pk
    )
    services.delete_interview(owner=request.user, interview=interview)
    messages.success(request, f"Removed “{interview.title}” and its thank-you reminders.")
    return redirect(opportunity.get_absolute_url() + "#interviews")
