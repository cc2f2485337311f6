# Fills the new name columns of existing rows; on PostgreSQL, byte-order sort keys and trigram search.

from django.db import migrations

from core import names

BATCH = 2000

# (table, column) of the columns searched with LIKE '%word%' and of the sort keys.
SEARCH_COLUMNS = [("cells_organization", "search_text"), ("cells_member", "search_text")]
KEY_COLUMNS = [
    ("cells_organization", "sort_key", 600),
    ("cells_organization", "code_key", 120),
    ("cells_member", "sort_key", 400),
]


def fill(apps, schema_editor):
    Organization = apps.get_model("cells", "Organization")
    Member = apps.get_model("cells", "Member")
    name_of = dict(Organization.objects.filter(kind="committee").values_list("pk", "name"))
    batch = []
    for org in Organization.objects.only("pk", "code", "name", "kind", "parent_id").iterator(
        chunk_size=BATCH
    ):
        parent_name = name_of.get(org.parent_id) if org.kind == "cell" else None
        org.label = f"{org.name} – {parent_name}" if parent_name else org.name
        org.sort_key = names.name_sort_key(org.name)
        org.code_key = names.code_sort_key(org.code)
        org.search_text = names.search_text(org.code, org.label)
        batch.append(org)
        if len(batch) == BATCH:
            Organization.objects.bulk_update(batch, ["label", "sort_key", "code_key", "search_text"])
            batch = []
    Organization.objects.bulk_update(batch, ["label", "sort_key", "code_key", "search_text"])
    batch = []
    for member in Member.objects.only("pk", "full_name", "card_number").iterator(chunk_size=BATCH):
        member.sort_key = names.person_sort_key(member.full_name)
        member.search_text = names.search_text(member.full_name, member.card_number)
        batch.append(member)
        if len(batch) == BATCH:
            Member.objects.bulk_update(batch, ["sort_key", "search_text"])
            batch = []
    Member.objects.bulk_update(batch, ["sort_key", "search_text"])


def postgres_only(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


def forward_statements(search_columns, key_columns):
    """Sort keys compare byte by byte ("C"): a locale collation would skip their separators. Searches
    are LIKE '%word%' over the lowercase text, which a pg_trgm GIN index answers."""
    statements = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"]
    statements += [
        f'ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar({length}) COLLATE "C"'
        for table, column, length in key_columns
    ]
    statements += [
        f"CREATE INDEX IF NOT EXISTS {table}_{column}_trgm ON {table} USING gin ({column} gin_trgm_ops)"
        for table, column in search_columns
    ]
    return statements


def backward_statements(search_columns):
    return [f"DROP INDEX IF EXISTS {table}_{column}_trgm" for table, column in search_columns]


class Migration(migrations.Migration):
    dependencies = [("cells", "0006_names")]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(
            postgres_only(forward_statements(SEARCH_COLUMNS, KEY_COLUMNS)),
            postgres_only(backward_statements(SEARCH_COLUMNS)),
        ),
    ]
