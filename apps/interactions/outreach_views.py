"""Outreach template pages: the list (starters seeded on first visit), add/edit/delete, and
"Use": fill it for a contact, copy it or open it in the mail app, and log it in one step."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.http import owned_or_404, render_form
from apps.core.params import is_id
from apps.interactions import outreach, selectors, services
from apps.interactions.forms import OutreachTemplateForm, UseTemplateForm
from apps.interactions.models import OutreachTemplate


@login_required
def template_list(request):
    services.seed_starter_templates(owner=request.user)
    return render(
        request,
        "interactions/templates/list.html",
        {
            "templates": selectors.owner_templates(user=request.user),
            "fields": outreach.FIELDS,
            "contact_id": request.GET.get("contact") if is_id(request.GET.get("contact")) else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, pk=None):
    template = owned_or_404(OutreachTemplate, request.user, pk) if pk else None
    form = OutreachTemplateForm(request.POST or None, owner=request.user, instance=template)
    if request.method == "POST" and form.is_valid():
        template = services.save_template(
            owner=request.user, template=template, **form.service_fields()
        )
        messages.success(request, f"Saved “{template.name}”.")
        return redirect("interactions:template_list")
    context = {"form": form, "template": template}
    return render_form(request, "interactions/templates/form.html", context, form=form)


@login_required
@require_POST
def template_delete(request, pk):
    template = owned_or_404(OutreachTemplate, request.user, pk)
    services.delete_template(owner=request.user, template=template)
    messages.success(request, f"Deleted “{template.name}”.")
    return redirect("interactions:template_list")


@login_required
@require_http_methods(["GET", "POST"])
def template_use(request, pk):
    user = request.user
    template = owned_or_404(OutreachTemplate, user, pk)
    form = UseTemplateForm(request.POST or request.GET or None, user=user)
    context = {"template": template, "form": form}
    if form.is_bound and form.is_valid():
        contact = form.cleaned_data["contact"]
        opportunity = form.cleaned_data["opportunity"]
        if request.method == "POST":
            services.use_template(
                owner=user,
                template=template,
                contact=contact,
                opportunity=opportunity,
                channel=form.cleaned_data["channel"],
            )
            note = (
                f" Follow-up in {template.follow_up_days} days." if template.follow_up_days else ""
            )
            messages.success(request, f"Logged “{template.name}” with {contact}.{note}")
            return redirect(contact)
        values = outreach.merge_values(
            contact=contact,
            opportunity=opportunity,
            last_gave=selectors.last_gave(user=user, contact=contact),
        )
        subject = outreach.fill(template.subject, values)
        body = outreach.fill(template.body, values)
        context.update(
            contact=contact,
            subject=subject,
            body=body,
            missing=[outreach.FIELDS[m] for m in dict.fromkeys(subject.missing + body.missing)],
            mailto=outreach.mailto(email=contact.email, subject=subject.text, body=body.text),
        )
    status = 400 if request.method == "POST" else 200
    return render(request, "interactions/templates/use.html", context, status=status)
