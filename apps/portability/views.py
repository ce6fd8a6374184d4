import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from apps.contacts.forms import ContactFilterForm
from apps.contacts.selectors import contact_queryset
from apps.core.http import owned_or_404
from apps.portability import exports, formats, selectors
from apps.portability.forms import MappingForm, UploadForm
from apps.portability.importing import jobs, reading
from apps.portability.models import ImportJob, ImportKind, ImportStatus


def _job(request, pk):
    # The pages never need the uploaded file's bytes.
    return owned_or_404(ImportJob.objects.defer("data"), request.user, pk)


@login_required
def import_start(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = jobs.create_import_job(
                owner=request.user,
                data=jobs.read_upload(upload),
                filename=upload.name,
                kind=form.cleaned_data["kind"],
            )
        except formats.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if job.status == ImportStatus.MAPPING:
                return redirect("portability:import_columns", pk=job.pk)
            return redirect("portability:import_detail", pk=job.pk)
    context = {"form": form, "jobs": selectors.recent_jobs(user=request.user)}
    return render(request, "portability/import.html", context, status=400 if form.errors else 200)


@login_required
def import_columns(request, pk):
    job = _job(request, pk)
    if job.kind != ImportKind.CSV or job.status not in (ImportStatus.MAPPING, ImportStatus.PREVIEW):
        return redirect("portability:import_detail", pk=job.pk)
    columns = job.mapping.get("columns", [])
    form = MappingForm(
        request.POST or None, columns=columns, initial_fields=job.mapping.get("fields", {})
    )
    if request.method == "POST" and form.is_valid():
        jobs.set_mapping(job=job, fields=form.field_mapping())
        return redirect("portability:import_detail", pk=job.pk)
    sample = reading.sample_rows(job=job, limit=5)
    context = {"job": job, "form": form, "sample": sample}
    return render(request, "portability/columns.html", context, status=400 if form.errors else 200)


@login_required
def import_detail(request, pk):
    job = _job(request, pk)
    if job.status == ImportStatus.MAPPING:
        return redirect("portability:import_columns", pk=job.pk)
    context = {"job": job}
    if job.status == ImportStatus.DONE:
        context["errors"] = selectors.error_page(job=job, page=request.GET.get("page"))
    return render(request, "portability/job.html", context)


@login_required
def import_progress(request, pk):
    job = _job(request, pk)
    if not job.is_running:
        # Finished: the whole page changes (preview, results or error), not just the bar.
        if request.htmx:
            return HttpResponseClientRedirect(job_url(job))
        return redirect("portability:import_detail", pk=job.pk)
    return render(request, "portability/job.html#progress", {"job": job})


def job_url(job) -> str:
    return reverse("portability:import_detail", args=[job.pk])


@login_required
@require_POST
def import_confirm(request, pk):
    job = _job(request, pk)
    if not jobs.start_import(job=job):
        messages.info(request, "This import has already started.")
    return redirect("portability:import_detail", pk=job.pk)


@login_required
@require_POST
def import_discard(request, pk):
    job = _job(request, pk)
    if jobs.discard_job(job=job):
        messages.success(request, f"“{job.filename}” was discarded.")
        return redirect("portability:import_start")
    messages.error(request, "An import that is running cannot be discarded.")
    return redirect("portability:import_detail", pk=job.pk)


@login_required
def import_errors_csv(request, pk):
    job = _job(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="import-{job.pk}-rows-not-imported.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["Line", "Name", "Reason"])
    for line, label, reason in selectors.job_errors(job=job):
        writer.writerow([line, exports.cell(label), exports.cell(reason)])
    return response


@login_required
def export_page(request):
    return render(request, "portability/export.html")


@login_required
def export_account(request):
    archive = exports.build_account_zip(user=request.user)
    stamp = timezone.localdate().isoformat()
    return FileResponse(
        archive,
        as_attachment=True,
        filename=f"followthrough-{stamp}.zip",
        content_type="application/zip",
    )


@login_required
def export_contacts_csv(request):
    form = ContactFilterForm(request.GET, user=request.user)
    if form.has_foreign_ids():
        raise Http404("No such tag or organization.")
    contacts = contact_queryset(user=request.user, filters=form.cleaned_or_empty())
    response = StreamingHttpResponse(
        exports.contact_list_rows(contacts.iterator(chunk_size=1000)),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="contacts-{stamp}.csv"'
    return response
