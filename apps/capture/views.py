from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from apps.capture import selectors
from apps.capture.bookmarklet import bookmarklet_href
from apps.capture.forms import CaptureForm
from apps.capture.pages import read_page
from apps.capture.recognize import posting_from, profile_from
from apps.contacts import services as contacts
from apps.contacts.forms import ContactForm
from apps.core.choices import Channel
from apps.core.http import form_status
from apps.opportunities import services as opportunities
from apps.opportunities.forms import NewOpportunityForm

PREVIEW = "capture/preview.html"


def _quick_log_url(**params) -> str:
    return f"{reverse('interactions:new')}?{urlencode(params)}"


@login_required
@require_http_methods(["GET", "POST"])
def start(request):
    """The capture page. A GET with url/title/text (the share sheet) or a POST from this page's
    own form (the bookmarklet's data, a paste) shows what was recognized; nothing is saved."""
    if request.method == "POST":
        form = CaptureForm(request.POST)
    elif {"url", "title", "text"} & set(request.GET):
        form = CaptureForm(request.GET)
    else:
        form = CaptureForm()
    if form.is_bound and form.is_valid():
        return _preview(request, form.cleaned_data)
    context = {"form": form, "bookmarklet": bookmarklet_href(request)}
    return render(request, "capture/start.html", context, status=form_status(form))


def _preview(request, data):
    user = request.user
    page = read_page(url=data["url"], title=data["title"], source=data["source"])
    posting = posting_from(page)
    if posting is not None:
        organization = selectors.organization_named(user=user, name=posting.company)
        notes = "\n\n".join(
            part
            for part in (
                f"Location: {posting.location}" if posting.location else "",
                posting.description,
            )
            if part
        )
        form = NewOpportunityForm(
            owner=user,
            initial={
                "role_title": posting.title,
                "organization": organization.pk if organization else None,
                "new_organization": "" if organization else posting.company,
                "posting_url": posting.url,
                "source_channel": Channel.JOB_BOARD,
                "notes": notes,
            },
        )
        # The people you know there are listed beside the form; the referrer picker searches all
        # of your contacts, as on the new-opportunity page, so anyone you pick there is accepted.
        people = selectors.people_at(organization=organization)
        context = {
            "kind": "posting",
            "posting": posting,
            "form": form,
            "people": people,
            "organization": organization,
        }
        return render(request, PREVIEW, context)
    profile = profile_from(page)
    if profile is not None:
        existing = selectors.contact_with_profile(
            user=user, field=profile.field, value=profile.value
        )
        form = None
        if existing is None:
            form = ContactForm(
                owner=user,
                initial={
                    "full_name": profile.full_name,
                    "title": profile.title,
                    "organization_name": profile.company,
                    "location": profile.location,
                    profile.field: profile.value,
                    "channel": profile.channel,
                },
            )
        context = {"kind": "profile", "profile": profile, "existing": existing, "form": form}
        if existing is not None:
            context["log_url"] = _quick_log_url(
                contact=existing.pk, next=existing.get_absolute_url()
            )
        return render(request, PREVIEW, context)
    # Anything else: the quick log, with the link attached.
    summary = page.title or page.url
    return redirect(_quick_log_url(summary=summary[:300], notes=page.url))


@login_required
@require_POST
def save_contact(request):
    form = ContactForm(request.POST, owner=request.user)
    if form.is_valid():
        try:
            contact = contacts.create_contact(owner=request.user, **form.service_fields())
        except contacts.DuplicateContactError as error:
            form.add_error(
                error.field,
                format_html(
                    'You already have this person: <a href="{}">{}</a>.',
                    error.existing.get_absolute_url(),
                    error.existing.full_name,
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Straight into the quick log with the new contact chosen, and once it is logged on
            # to their page (not back to the capture form the browser came from).
            return redirect(_quick_log_url(contact=contact.pk, next=contact.get_absolute_url()))
    context = {"kind": "profile", "form": form, "profile": None, "existing": None}
    return render(request, PREVIEW, context, status=400)


@login_required
@require_POST
def save_opportunity(request):
    form = NewOpportunityForm(request.POST, owner=request.user)
    if form.is_valid():
        opportunity = opportunities.create_opportunity(owner=request.user, **form.service_fields())
        return redirect(opportunity)
    return render(request, PREVIEW, {"kind": "posting", "form": form, "people": []}, status=400)
