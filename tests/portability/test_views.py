import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.contacts.models import Contact
from apps.portability.models import ImportJob, ImportStatus
from tests.portability.conftest import import_file, load, preview

pytestmark = pytest.mark.django_db


def upload(client, token, name, *, kind="", data=None):
    file = SimpleUploadedFile(name, load(name) if data is None else data)
    return client.post("/import/", {"file": file, "kind": kind, "csrfmiddlewaretoken": token})


def test_uploading_a_linkedin_file_shows_the_preview_then_imports_on_confirm(
    auth_client, user, csrf, django_capture_on_commit_callbacks
):
    token = csrf(auth_client, "/import/")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(auth_client, token, "linkedin_with_errors.csv")
    job = ImportJob.objects.get(owner=user)
    assert response.status_code == 302
    assert response["Location"] == f"/import/{job.pk}/"
    page = auth_client.get(response["Location"])
    assert page.status_code == 200
    assert b"Preview: nothing has been saved yet" in page.content
    assert b'data-count="new">2<' in page.content
    assert b'data-count="skipped">4<' in page.content
    assert not Contact.objects.filter(owner=user).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post(f"/import/{job.pk}/confirm/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    page = auth_client.get(f"/import/{job.pk}/")
    assert b"Rows not imported" in page.content
    assert b"not-an-email" in page.content
    assert Contact.objects.filter(owner=user).count() == 2


def test_confirming_twice_imports_once(auth_client, user, csrf, django_capture_on_commit_callbacks):
    job = preview(user, "linkedin_current.csv")
    token = csrf(auth_client, "/import/")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        auth_client.post(f"/import/{job.pk}/confirm/", {"csrfmiddlewaretoken": token})
        auth_client.post(f"/import/{job.pk}/confirm/", {"csrfmiddlewaretoken": token})
    assert len(callbacks) == 1
    assert Contact.objects.filter(owner=user).count() == 4


@pytest.mark.parametrize(
    ("name", "kind", "message"),
    [
        ("empty.csv", "", "The file is empty."),
        ("image.png", "", "This is an image"),
        ("binary.bin", "", "This file is not text"),
        ("contacts_v30.vcf", "linkedin", "This is not LinkedIn&#x27;s Connections.csv"),
    ],
)
def test_a_refused_file_is_explained_on_the_form_with_400(
    auth_client, user, csrf, name, kind, message
):
    token = csrf(auth_client, "/import/")
    response = upload(auth_client, token, name, kind=kind)
    assert response.status_code == 400
    assert message.encode() in response.content
    assert f'value="{kind}" selected'.encode() in response.content if kind else True
    assert not ImportJob.objects.exists()


def test_a_file_over_10_mb_is_refused(auth_client, csrf, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    token = csrf(auth_client, "/import/")
    response = upload(auth_client, token, "big.csv", data=b"a,b\n" * (2_700_000))
    assert response.status_code == 400
    assert b"the limit is 10 MB" in response.content


def test_any_csv_asks_for_columns_then_previews_and_imports(
    auth_client, user, csrf, django_capture_on_commit_callbacks
):
    token = csrf(auth_client, "/import/")
    response = upload(auth_client, token, "outlook_contacts.csv")
    job = ImportJob.objects.get(owner=user)
    assert job.status == ImportStatus.MAPPING
    assert response["Location"] == f"/import/{job.pk}/columns/"
    page = auth_client.get(response["Location"])
    assert b"Berners-Lee" in page.content  # the first rows are shown
    assert b'<option value="title" selected>' in page.content
    data = {f"col_{i}": "" for i in range(12)}
    refused = auth_client.post(f"/import/{job.pk}/columns/", {**data, "csrfmiddlewaretoken": token})
    assert refused.status_code == 400
    assert b"Choose the column that holds the names" in refused.content
    data.update(col_0="first_name", col_2="last_name", col_5="email", col_8="organization")
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post(
            f"/import/{job.pk}/columns/", {**data, "csrfmiddlewaretoken": token}
        )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW
    assert job.preview["new"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post(f"/import/{job.pk}/confirm/", {"csrfmiddlewaretoken": token})
    tim = Contact.objects.get(owner=user, full_name="Tim Berners-Lee")
    assert (tim.email, tim.organization.name, tim.title) == ("tim@w3.example", "W3C", "")


def test_the_progress_partial_polls_while_running_and_redirects_when_done(auth_client, user):
    job = preview(user, "linkedin_current.csv")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.IMPORTING, processed_rows=2)
    response = auth_client.get(f"/import/{job.pk}/progress/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b'hx-trigger="every 1s"' in response.content
    assert b'aria-valuenow="50"' in response.content
    assert b"<html" not in response.content
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE)
    response = auth_client.get(f"/import/{job.pk}/progress/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == f"/import/{job.pk}/"
    assert auth_client.get(f"/import/{job.pk}/progress/").status_code == 302


def test_the_full_page_of_a_running_import_shows_the_bar(auth_client, user):
    job = preview(user, "linkedin_current.csv")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.IMPORTING)
    page = auth_client.get(f"/import/{job.pk}/")
    assert b'role="progressbar"' in page.content
    assert b'http-equiv="refresh"' in page.content  # without JavaScript the page refreshes


def test_rows_not_imported_download_as_csv_with_formulas_neutralized(auth_client, user):
    data = load("linkedin_with_errors.csv").replace(b"Bad,Email", b"=HYPERLINK(1),Email")
    job = import_file(user, "e.csv", data=data)
    response = auth_client.get(f"/import/{job.pk}/errors.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Line", "Name", "Reason"]
    assert rows[1][:2] == ["6", "'=HYPERLINK(1) Email"]
    assert len(rows) == 5


def test_the_results_page_lists_errors_in_pages(auth_client, user, django_assert_num_queries):
    rows = "".join(f"P{i},X,,bad-{i},,,\n" for i in range(150))
    data = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + rows
    ).encode()
    job = import_file(user, "bad.csv", data=data)
    assert job.skipped_count == 150
    first = auth_client.get(f"/import/{job.pk}/")
    assert first.content.count(b"is not a valid email address") == 100
    assert b'href="?page=2#not-imported" rel="next"' in first.content
    second = auth_client.get(f"/import/{job.pk}/?page=2")
    assert second.content.count(b"is not a valid email address") == 50
    assert b'href="?page=1#not-imported" rel="prev"' in second.content


@pytest.mark.parametrize("rows", [3, 30])
def test_the_results_page_runs_a_fixed_number_of_queries(
    auth_client, user, rows, django_assert_num_queries
):
    data = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        + "".join(f"P{i},X,,bad-{i},,,\n" for i in range(rows))
    ).encode()
    job = import_file(user, "bad.csv", data=data)
    auth_client.get("/import/")  # session and CSRF set up outside the budget
    # session, user, nav counter, job, error count, error page
    with django_assert_num_queries(6):
        assert auth_client.get(f"/import/{job.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/import/{pk}/"),
        ("get", "/import/{pk}/columns/"),
        ("get", "/import/{pk}/progress/"),
        ("get", "/import/{pk}/errors.csv"),
        ("post", "/import/{pk}/confirm/"),
        ("post", "/import/{pk}/discard/"),
    ],
)
def test_another_users_import_is_not_found(client_for, other_user, user, csrf, method, path):
    job = preview(other_user, "google_contacts.csv", fields={"0": "full_name"})
    client = client_for(user)
    token = csrf(client, "/import/")
    url = path.format(pk=job.pk)
    response = (
        client.get(url) if method == "get" else client.post(url, {"csrfmiddlewaretoken": token})
    )
    assert response.status_code == 404
    assert ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEW).exists()


@pytest.mark.parametrize(
    "path",
    [
        "/import/",
        "/import/{pk}/confirm/",
        "/import/{pk}/discard/",
        "/import/{pk}/columns/",
        "/account/delete/",
    ],
)
def test_posts_without_the_csrf_token_are_refused(auth_client, user, path):
    job = preview(user, "linkedin_current.csv")
    response = auth_client.post(path.format(pk=job.pk), {})
    assert response.status_code == 403
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW


def test_discarding_a_preview_deletes_the_job_and_saves_nothing(auth_client, user, csrf):
    job = preview(user, "linkedin_current.csv")
    token = csrf(auth_client, "/import/")
    response = auth_client.post(f"/import/{job.pk}/discard/", {"csrfmiddlewaretoken": token})
    assert response["Location"] == "/import/"
    assert not ImportJob.objects.exists()
    assert not Contact.objects.exists()


def test_the_import_page_lists_recent_imports_and_needs_login(client, auth_client, user):
    import_file(user, "linkedin_current.csv")
    page = auth_client.get("/import/")
    assert b"linkedin_current.csv" in page.content
    assert b"portability.js" in page.content
    assert client.get("/import/").status_code == 302
