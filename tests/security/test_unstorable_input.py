"""NUL bytes (and lone surrogates) are refused in one place each, the same on every database:
a 400 for paths and query strings, a form error for form fields, a row-level error for imports;
nothing is half-written."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.test import Client

import apps
from apps.contacts.models import Contact
from apps.core.forms import StorableInputMixin
from apps.interactions.models import Interaction
from apps.portability.importing import jobs
from apps.portability.models import ImportStatus

pytestmark = pytest.mark.django_db
MESSAGE = "cannot be saved"


def test_a_nul_in_the_path_is_a_400_with_a_message_even_without_login():
    response = Client().get("/calendar/%00.ics")
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/organizations/?q=%00",
        "/contacts/?q=a%00b",
        "/interactions/contact-suggestions/?q=%00",
        "/interactions/new/?new_contacts=a%00b",
        "/contacts/?%00=x",
    ],
)
def test_a_nul_in_a_query_string_is_a_400_with_a_message(auth_client, url):
    response = auth_client.get(url)
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


def test_a_nul_in_a_form_field_is_a_form_error_and_nothing_is_saved(auth_client, user, csrf):
    token = csrf(auth_client, "/interactions/new/")
    response = auth_client.post(
        "/interactions/new/",
        {
            "csrfmiddlewaretoken": token,
            "new_contacts": ["a\x00b"],
            "summary": "Met at the meetup",
            "kind": "event",
            "channel": "event",
            "direction": "mutual",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert MESSAGE in body
    assert "Met at the meetup" in body  # what else was typed is kept
    assert not Contact.objects.filter(owner=user).exists()
    assert not Interaction.objects.filter(owner=user).exists()


def test_a_lone_surrogate_is_refused_by_a_form_too():
    # Form-encoded bodies cannot carry one (Django decodes them with replacement), JSON can.
    from apps.contacts.forms import TagForm

    form = TagForm(data={"name": "ok \ud800"})
    assert not form.is_valid()
    assert MESSAGE in str(form.errors["name"])


def test_every_form_of_the_product_refuses_unstorable_characters():
    found = []
    for module_info in pkgutil.walk_packages(apps.__path__, "apps."):
        if ".migrations" in module_info.name or module_info.name.endswith(".tests"):
            continue
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    assert len(found) >= 15
    missing = [
        f"{c.__module__}.{c.__name__}" for c in found if not issubclass(c, StorableInputMixin)
    ]
    assert missing == []


def linkedin_file(rows: int, bad_row: int) -> bytes:
    lines = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    for n in range(1, rows + 1):
        first = f"Per\x00son{n}" if n == bad_row else f"Person{n}"
        lines.append(f"{first},Number{n},,p{n}@example.com,Acme,Engineer,01 Jan 2024")
    return ("\n".join(lines) + "\n").encode()


def test_one_bad_row_in_an_import_is_a_row_error_and_the_rest_are_imported(user):
    job = jobs.create_import_job(
        owner=user, data=linkedin_file(1000, 902), filename="Connections.csv", queue=False
    )
    assert job.status == ImportStatus.ANALYZING
    job.status = ImportStatus.IMPORTING
    job.save(update_fields=["status"])
    jobs.run_job(job_id=job.pk, dry_run=False)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.error
    assert (job.created_count, job.skipped_count) == (999, 1)
    [error] = job.row_errors.all()
    assert error.line == 903  # the header is line 1
    assert MESSAGE in error.reason
    assert "\x00" not in error.label
    assert Contact.objects.filter(owner=user).count() == 999
