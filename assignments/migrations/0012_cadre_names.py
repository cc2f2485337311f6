# Sort keys and search texts of cadres.

from django.conf import settings
from django.db import migrations, models

from core import names


def fill(apps, schema_editor):
    Cadre = apps.get_model("assignments", "Cadre")
    cadres = list(Cadre.objects.only("pk", "code", "full_name", "email"))
    for cadre in cadres:
        cadre.sort_key = names.person_sort_key(cadre.full_name)
        cadre.code_key = names.code_sort_key(cadre.code)
        cadre.search_text = names.search_text(cadre.full_name, cadre.code, cadre.email)
    Cadre.objects.bulk_update(cadres, ["sort_key", "code_key", "search_text"], batch_size=2000)


def postgres_forward(apps, schema_editor):
    """Byte-order sort keys and a trigram index for LIKE '%word%' searches (see cells 0007)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute('ALTER TABLE assignments_cadre ALTER COLUMN sort_key TYPE varchar(400) COLLATE "C"')
    schema_editor.execute('ALTER TABLE assignments_cadre ALTER COLUMN code_key TYPE varchar(80) COLLATE "C"')
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS assignments_cadre_search_text_trgm "
        "ON assignments_cadre USING gin (search_text gin_trgm_ops)"
    )


def postgres_backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS assignments_cadre_search_text_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0011_plan_copied_from"),
        ("cells", "0006_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="cadre",
            options={
                "ordering": ["sort_key", "code"],
                "verbose_name": "cadre",
                "verbose_name_plural": "cadres",
            },
        ),
        migrations.AddField(
            model_name="cadre",
            name="code_key",
            field=models.CharField(default="", editable=False, max_length=80),
        ),
        migrations.AddField(
            model_name="cadre",
            name="search_text",
            field=models.CharField(default="", editable=False, max_length=500),
        ),
        migrations.AddField(
            model_name="cadre",
            name="sort_key",
            field=models.CharField(default="", editable=False, max_length=400),
        ),
        migrations.AddIndex(
            model_name="cadre",
            index=models.Index(fields=["sort_key", "code"], name="cadre_sort_key_idx"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(postgres_forward, postgres_backward),
    ]
