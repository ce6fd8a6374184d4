import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from apps.contacts.models import Contact, Organization, PastEmployment, Tag
from apps.portability import formats
from apps.portability.formats import ImportFileError
from apps.portability.importing import importer, jobs
from apps.portability.models import ImportJob, ImportRowError, ImportStatus
from tests.factories import ContactFactory, OrganizationFactory, UserFactory
from tests.portability.conftest import create_job, import_file, load, preview

pytestmark = pytest.mark.django_db

LINKEDIN_VARIANTS = [
    (
        "linkedin_current.csv",
        "Jürgen Müller",
        "Acme, Inc.",
        "Head of R&D, Europe",
        dt.date(2022, 1, 1),
    ),
    ("linkedin_old.csv", "Barbara Liskov", "MIT", "Professor", dt.date(2018, 1, 8)),
    (
        "linkedin_semicolon_cp1252.csv",
        "Zoë Ørsted",
        "Novo Nordisk",
        "Señor Analyst",
        dt.date(2024, 3, 17),
    ),
    (
        "linkedin_latin1_dotted.csv",
        "Søren Kierkegaard",
        "Københavns Universitet",
        "Filosof",
        dt.date(2021, 9, 16),
    ),
    ("linkedin_utf16_tabs.csv", "Ōta Hiroshi", "東京大学", "教授", dt.date(2023, 6, 7)),
]


@pytest.mark.parametrize(("name", "person", "org", "title", "connected"), LINKEDIN_VARIANTS)
def test_each_linkedin_variant_imports_with_channel_organization_title_and_date(
    user, name, person, org, title, connected
):
    job = import_file(user, name)
    assert job.status == ImportStatus.DONE
    assert job.skipped_count == 0
    contact = Contact.objects.get(owner=user, full_name=person)
    assert contact.channel == "linkedin"
    assert contact.organization.name == org
    assert contact.title == title
    assert contact.connected_on == connected


def test_linkedin_urls_are_stored_normalized(user):
    import_file(user, "linkedin_current.csv")
    urls = set(Contact.objects.filter(owner=user).values_list("linkedin_url", flat=True))
    assert "https://www.linkedin.com/in/ada-lovelace" in urls
    assert "https://www.linkedin.com/in/juergen-mueller-12345" in urls
    assert "https://www.linkedin.com/in/gracehopper" in urls


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("contacts_v21.vcf", {"Jürgen Müller", "Jane Smith"}),
        ("contacts_v30.vcf", {"Ada Lovelace", "Alan Turing", "Katherine Johnson"}),
        ("contacts_v40.vcf", {"Ann Lee"}),
        ("google_contacts.csv", {"Margaret Hamilton", "Dennis Ritchie", "Hedy Lamarr"}),
        ("outlook_contacts.csv", {"Tim Berners-Lee", "Radia Perlman"}),
    ],
)
def test_vcards_and_any_csv_import_every_contact(user, name, expected):
    job = import_file(user, name)
    assert job.created_count == len(expected)
    assert set(Contact.objects.filter(owner=user).values_list("full_name", flat=True)) == expected


def test_vcard_fields_land_on_the_contact(user):
    import_file(user, "contacts_v30.vcf")
    ada = Contact.objects.get(owner=user, full_name="Ada Lovelace")
    assert ada.email == "ada@example.com"
    assert ada.phone == "+44 20 7946 0000"
    assert ada.organization.name == "Analytical Engines, Ltd."
    assert ada.title == "Mathematician, Writer"
    assert ada.linkedin_url == "https://www.linkedin.com/in/ada-lovelace"
    assert "Loves poetry; also math." in ada.notes
    assert sorted(ada.tags.values_list("name", flat=True)) == ["London", "Mentors"]


def test_google_csv_tags_skip_googles_own_groups(user):
    import_file(user, "google_contacts.csv")
    margaret = Contact.objects.get(owner=user, full_name="Margaret Hamilton")
    assert list(margaret.tags.values_list("name", flat=True)) == ["Mentors"]
    assert margaret.phone == "+1 617 555 0101"
    assert margaret.organization.name == "MIT Instrumentation Lab"


@pytest.mark.parametrize(
    "name", ["linkedin_current.csv", "linkedin_old.csv", "contacts_v21.vcf", "google_contacts.csv"]
)
def test_importing_the_same_file_again_creates_nothing_new(user, name):
    first = import_file(user, name)
    snapshot = list(Contact.objects.filter(owner=user).order_by("pk").values())
    organizations = Organization.objects.filter(owner=user).count()
    again = preview(user, name)
    assert again.preview["new"] == 0
    assert again.preview["updated"] == 0
    assert again.preview["unchanged"] == first.created_count
    second = import_file(user, name)
    assert (second.created_count, second.updated_count) == (0, 0)
    assert second.unchanged_count == first.created_count
    after = list(Contact.objects.filter(owner=user).order_by("pk").values())
    assert [{k: v for k, v in c.items() if k != "updated_at"} for c in after] == [
        {k: v for k, v in c.items() if k != "updated_at"} for c in snapshot
    ]
    assert Organization.objects.filter(owner=user).count() == organizations


def test_a_blank_cell_never_erases_what_the_user_typed(user):
    import_file(user, "linkedin_current.csv")
    grace = Contact.objects.get(owner=user, full_name="Grace Hopper")
    grace.phone = "+1 555 0100"
    grace.notes = "Met at the Navy reunion"
    grace.channel = "event"
    grace.save()
    blanked = load("linkedin_current.csv").replace(
        b"grace@navy.example,US Navy,Rear Admiral", b",,"
    )
    job = import_file(user, "blanked.csv", data=blanked)
    assert job.created_count == 0
    grace.refresh_from_db()
    assert grace.email == "grace@navy.example"
    assert grace.organization.name == "US Navy"
    assert grace.title == "Rear Admiral"
    assert grace.phone == "+1 555 0100"
    assert grace.notes == "Met at the Navy reunion"
    assert grace.channel == "event"


def test_a_changed_title_and_company_update_the_contact(user):
    import_file(user, "linkedin_current.csv")
    moved = load("linkedin_current.csv").replace(b"US Navy,Rear Admiral", b"Univac,Director")
    job = preview(user, "moved.csv", data=moved)
    assert (job.preview["new"], job.preview["updated"]) == (0, 1)
    import_file(user, "moved.csv", data=moved)
    grace = Contact.objects.get(owner=user, full_name="Grace Hopper")
    assert (grace.organization.name, grace.title) == ("Univac", "Director")


def linkedin_csv(*rows: str) -> bytes:
    header = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    return (header + "".join(r + "\n" for r in rows)).encode()


def test_matching_prefers_the_linkedin_url_over_email_and_name(user):
    by_url = ContactFactory(
        owner=user, full_name="Someone Else", linkedin_url="https://www.linkedin.com/in/ada"
    )
    by_email = ContactFactory(owner=user, full_name="Ada Lovelace", email="ADA@example.com")
    data = linkedin_csv(
        "Ada,Lovelace,https://linkedin.com/in/ADA/,ada@example.com,,Countess,01 Jan 2024"
    )
    job = import_file(user, "a.csv", data=data)
    assert (job.created_count, job.updated_count) == (0, 1)
    by_url.refresh_from_db()
    by_email.refresh_from_db()
    assert by_url.title == "Countess"
    assert by_email.title == ""
    # The email already belongs to another contact: it is not copied over.
    assert by_url.email == ""


def test_matching_falls_back_to_email_in_any_case_then_name_and_organization(user):
    org = OrganizationFactory(owner=user, name="Analytical Engines")
    by_email = ContactFactory(
        owner=user, full_name="A. Lovelace", email="Ada@Example.com", organization=None
    )
    by_name = ContactFactory(owner=user, full_name="Charles Babbage", organization=org)
    data = linkedin_csv(
        "Ada,Lovelace,,ada@EXAMPLE.com,,Countess,",
        "charles,BABBAGE,,,analytical engines,Inventor,",
    )
    job = import_file(user, "a.csv", data=data)
    assert (job.created_count, job.updated_count) == (0, 2)
    by_email.refresh_from_db()
    by_name.refresh_from_db()
    assert by_email.title == "Countess"
    assert by_name.title == "Inventor"


def test_same_name_at_the_same_company_with_another_profile_is_another_person(user):
    org = OrganizationFactory(owner=user, name="Google")
    ContactFactory(
        owner=user,
        full_name="John Smith",
        organization=org,
        linkedin_url="https://www.linkedin.com/in/john-smith-1",
    )
    data = linkedin_csv("John,Smith,https://www.linkedin.com/in/john-smith-2,,Google,SRE,")
    job = import_file(user, "a.csv", data=data)
    assert job.created_count == 1
    assert Contact.objects.filter(owner=user, full_name="John Smith").count() == 2


def test_duplicate_rows_in_one_file_become_one_contact(user):
    data = linkedin_csv(
        "Ada,Lovelace,https://www.linkedin.com/in/ada,,Engines,Countess,",
        "Ada,Lovelace,https://www.linkedin.com/in/ada,,Engines,Countess,",
    )
    job = preview(user, "dup.csv", data=data)
    assert (job.preview["new"], job.preview["unchanged"]) == (1, 1)
    job = import_file(user, "dup.csv", data=data)
    assert (job.created_count, job.unchanged_count) == (1, 1)
    assert Contact.objects.filter(owner=user).count() == 1


def test_a_value_longer_than_its_contact_field_skips_the_row_and_names_the_field(user):
    """The limits are the contact's own columns, named as the contact form names them."""
    title = Contact._meta.get_field("title").max_length
    company = Organization._meta.get_field("name").max_length
    data = linkedin_csv(
        f"Fits,Exactly,,,{'c' * company},{'t' * title},",
        f"Long,Title,,,,{'t' * (title + 1)},",
        f"Long,Company,,,{'c' * (company + 1)},,",
        f"{'n' * 150},{'n' * 60},,,,,",
    )
    job = import_file(user, "long.csv", data=data)
    assert (job.created_count, job.skipped_count) == (1, 3)
    assert Contact.objects.get(owner=user).full_name == "Fits Exactly"
    assert [reason for _, reason in job.row_errors.values_list("line", "reason")] == [
        f"Title is longer than {title} characters.",
        f"Organization is longer than {company} characters.",
        "Full name is longer than 200 characters.",
    ]


def test_a_tag_longer_than_a_tag_name_skips_the_row(user):
    longest = Tag._meta.get_field("name").max_length
    data = (
        "Name,Email,Labels\n"
        f"Ada Lovelace,ada@example.com,{'x' * longest}\n"
        f"Bob Smith,bob@example.com,{'x' * (longest + 1)}\n"
    ).encode()
    job = import_file(
        user, "tags.csv", data=data, fields={"0": "full_name", "1": "email", "2": "tags"}
    )
    assert (job.created_count, job.skipped_count) == (1, 1)
    assert job.row_errors.get().reason == f"A tag is longer than {longest} characters."


def test_rows_that_fail_are_reported_with_line_and_reason_and_good_rows_are_saved(user):
    job = import_file(user, "linkedin_with_errors.csv")
    assert (job.created_count, job.skipped_count) == (2, 4)
    assert sorted(Contact.objects.filter(owner=user).values_list("full_name", flat=True)) == [
        "Another Good",
        "Good Row",
    ]
    errors = list(job.row_errors.values_list("line", "label", "reason"))
    assert errors == [
        (6, "Bad Email", "“not-an-email” is not a valid email address."),
        (7, "Bad Date", "“someday” is not a date we recognize (try 2024-10-09 or 09 Oct 2024)."),
        (8, "", "This row has no name, email or LinkedIn URL."),
        (10, "Not Linkedin", "“https://example.com/profile/x” is not a LinkedIn profile address."),
    ]


def test_the_preview_counts_problems_before_anything_is_saved(user):
    job = preview(user, "linkedin_with_errors.csv")
    assert job.status == ImportStatus.PREVIEW
    assert (job.preview["new"], job.preview["skipped"]) == (2, 4)
    assert [p["line"] for p in job.preview["problems"]] == [6, 7, 8, 10]
    assert [s["line"] for s in job.preview["samples"]] == [5, 6, 7, 8, 9, 10]
    assert not Contact.objects.filter(owner=user).exists()
    assert not ImportRowError.objects.exists()


def test_a_row_the_database_refuses_is_rolled_back_alone(user, monkeypatch):
    """If the batch's insert fails, rows are retried one by one: the others are kept and the bad
    one leaves nothing behind (no contact, no organization, no tag)."""
    original = importer.Importer._persist

    def refuse_ada(self, plan):
        result = original(self, plan)
        if any(row.data["full_name"] == "Ada Lovelace" for row, _ in plan.outcomes):
            raise IntegrityError("simulated")
        return result

    monkeypatch.setattr(importer.Importer, "_persist", refuse_ada)
    job = import_file(user, "linkedin_current.csv")
    assert (job.created_count, job.skipped_count) == (3, 1)
    assert not Contact.objects.filter(owner=user, full_name="Ada Lovelace").exists()
    assert not Organization.objects.filter(owner=user, name="Analytical Engines").exists()
    assert job.row_errors.get().line == 5


def test_it_works_in_batches_and_reports_progress_per_batch(user, monkeypatch):
    monkeypatch.setattr(importer, "BATCH_SIZE", 2)
    progress = []
    original = importer.Importer.process_batch

    def spy(self, records):
        progress.append((len(records), ImportJob.objects.get(pk=self.job.pk).processed_rows))
        return original(self, records)

    monkeypatch.setattr(importer.Importer, "process_batch", spy)
    job = import_file(user, "linkedin_with_errors.csv")
    # Dry run then import, each over 3 batches of at most 2 rows.
    assert progress == [(2, 0), (2, 2), (2, 4), (2, 0), (2, 2), (2, 4)]
    assert job.processed_rows == 6


def test_it_refuses_a_file_over_10_mb(user):
    with pytest.raises(ImportFileError, match="over the 10 MB limit"):
        create_job(user, "big.csv", data=b"a" * (formats.MAX_BYTES + 1))
    assert not ImportJob.objects.exists()


def test_it_refuses_a_file_over_50000_rows(user):
    rows = "".join(f"P,{i},,,,,\n" for i in range(formats.MAX_ROWS + 1))
    data = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + rows
    ).encode()
    with pytest.raises(ImportFileError, match="more than 50,000 rows"):
        create_job(user, "many.csv", data=data)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "The file is empty."),
        ("header_only.csv", "The file has no rows to import"),
        ("binary.bin", "This file is not text"),
        ("prose.txt", "We could not recognize this file"),
    ],
)
def test_it_refuses_empty_binary_and_unrecognized_files(user, name, message):
    with pytest.raises(ImportFileError, match=message):
        create_job(user, name)


def test_an_import_never_touches_another_users_contacts(user, other_user):
    theirs = ContactFactory(
        owner=other_user,
        full_name="Grace Hopper",
        email="grace@navy.example",
        linkedin_url="https://www.linkedin.com/in/gracehopper",
        title="Theirs",
    )
    job = import_file(user, "linkedin_current.csv")
    assert job.created_count == 4
    theirs.refresh_from_db()
    assert theirs.title == "Theirs"
    assert Contact.objects.filter(owner=other_user).count() == 1
    mine = Contact.objects.get(owner=user, full_name="Grace Hopper")
    assert mine.organization.owner == user


def test_organizations_and_tags_are_reused_whatever_their_case(user):
    OrganizationFactory(owner=user, name="us navy")
    Tag.objects.create(owner=user, name="mentors")
    import_file(user, "linkedin_current.csv")
    import_file(user, "contacts_v30.vcf")
    assert Organization.objects.filter(owner=user, name__iexact="us navy").count() == 1
    assert Tag.objects.filter(owner=user, name__iexact="mentors").count() == 1


def test_the_command_imports_in_the_foreground_and_prints_the_summary(user, tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_bytes(load("linkedin_with_errors.csv"))
    out = io.StringIO()
    call_command("import_contacts", str(path), user=user.email.upper(), stdout=out)
    text = out.getvalue()
    assert "6 rows read, 2 new, 0 updated, 0 unchanged, 4 skipped" in text
    assert "line 6: Bad Email: “not-an-email” is not a valid email address." in text
    assert Contact.objects.filter(owner=user).count() == 2


def test_the_command_explains_a_refused_file(user, tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(load("image.png"))
    with pytest.raises(CommandError, match="This is an image"):
        call_command("import_contacts", str(path), user=user.email)
    with pytest.raises(CommandError, match="No account"):
        call_command("import_contacts", str(path), user="nobody@example.com")


def test_a_second_run_of_the_same_task_starts_the_counts_again(user):
    """Celery redelivers the task of a worker that died: running it again is harmless."""
    job = import_file(user, "linkedin_with_errors.csv")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.IMPORTING)
    jobs.run_job(job_id=job.pk, dry_run=False)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    # The file was dropped after the first run; the rerun reads nothing and duplicates nothing.
    assert Contact.objects.filter(owner=user).count() == 2


def test_two_users_importing_the_same_file_each_get_their_own_contacts():
    one, two = UserFactory(), UserFactory()
    import_file(one, "linkedin_current.csv")
    import_file(two, "linkedin_current.csv")
    assert Contact.objects.filter(owner=one).count() == 4
    assert Contact.objects.filter(owner=two).count() == 4


def test_the_preview_names_the_fields_an_updated_row_changes(user):
    import_file(user, "linkedin_current.csv")
    moved = load("linkedin_current.csv").replace(b"US Navy,Rear Admiral", b"Univac,Rear Admiral")
    job = preview(user, "moved.csv", data=moved)
    [grace] = [s for s in job.preview["samples"] if s["name"] == "Grace Hopper"]
    assert (grace["outcome"], grace["changes"]) == ("updated", ["organization"])
    assert all(s["changes"] == [] for s in job.preview["samples"] if s is not grace)


def test_a_re_import_with_nothing_to_import_is_not_ready_to_import(user):
    import_file(user, "linkedin_current.csv")
    again = preview(user, "linkedin_current.csv")
    assert again.status == ImportStatus.PREVIEW
    assert not again.has_something_to_import
    assert again.status_label == "Nothing to import"
    moved = load("linkedin_current.csv").replace(b"US Navy,Rear Admiral", b"Univac,Director")
    assert preview(user, "moved.csv", data=moved).status_label == "Ready to import"


# --- past organizations ---------------------------------------------------------------------


def test_a_past_organizations_column_becomes_the_contacts_employment_history(user):
    data = (
        b"Name,Email,Company,Previous companies\n"
        b'Ann Lee,ann@example.com,Globex,"Initech (2021); Hooli until 2019 | Globex"\n'
        b"Bo Chan,bo@example.com,Initech,\n"
    )
    job = preview(user, "people.csv", data=data)
    assert job.mapping["fields"]["3"] == "past_organizations"
    import_file(user, "people.csv", data=data)
    ann = Contact.objects.get(owner=user, full_name="Ann Lee")
    # Where she works now is not a past organization; the ones she left are, with their year.
    assert sorted(ann.past_employments.values_list("organization__name", "until")) == [
        ("Hooli", 2019),
        ("Initech", 2021),
    ]
    # One Initech, whether a contact works there now or worked there before.
    assert Organization.objects.filter(owner=user, name="Initech").count() == 1
    assert not PastEmployment.objects.filter(contact__full_name="Bo Chan").exists()


def test_re_importing_past_organizations_adds_what_is_new_and_erases_nothing(user):
    header = "Name,Email,Company,Past organizations\n"
    import_file(
        user, "one.csv", data=(header + "Ann Lee,ann@example.com,Globex,Initech\n").encode()
    )
    ann = Contact.objects.get(owner=user, full_name="Ann Lee")
    added_by_hand = OrganizationFactory(owner=user, name="Umbrella")
    PastEmployment.objects.create(owner=user, contact=ann, organization=added_by_hand, until=2015)
    again = (header + "Ann Lee,ann@example.com,Globex,initech (2020); Vandelay\n").encode()
    job = preview(user, "two.csv", data=again)
    [sample] = job.preview["samples"]
    assert (sample["outcome"], sample["changes"]) == ("updated", ["past organizations"])
    import_file(user, "two.csv", data=again)
    assert sorted(ann.past_employments.values_list("organization__name", "until")) == [
        ("Initech", 2020),
        ("Umbrella", 2015),
        ("Vandelay", None),
    ]
    # The same file once more changes nothing.
    assert preview(user, "two.csv", data=again).preview["unchanged"] == 1


def test_a_past_organization_with_an_impossible_year_skips_the_row_and_says_why(user):
    data = b"Name,Company,Former employers\nAnn Lee,Globex,Initech (1850)\nBo Chan,Globex,\n"
    job = import_file(user, "people.csv", data=data)
    assert (job.created_count, job.skipped_count) == (1, 1)
    [error] = ImportRowError.objects.filter(job=job)
    assert "1850" in error.reason and "1950" in error.reason
