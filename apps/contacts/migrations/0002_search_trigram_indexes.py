"""Trigram indexes for contact search on PostgreSQL; nothing to do on SQLite.

Django's `icontains` on PostgreSQL compiles to `UPPER(col::text) LIKE UPPER(%s)`, so the GIN
indexes are on exactly that expression. They are not declared in Meta.indexes because SQLite
has neither GIN nor the pg_trgm operator classes.
"""

from django.db import migrations

INDEXES = [
    ("contacts_contact_name_trgm", "contacts_contact", "full_name"),
    ("contacts_contact_title_trgm", "contacts_contact", "title"),
    ("contacts_contact_email_trgm", "contacts_contact", "email"),
    ("contacts_contact_notes_trgm", "contacts_contact", "notes"),
    ("contacts_org_name_trgm", "contacts_organization", "name"),
    ("contacts_tag_name_trgm", "contacts_tag", "name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
