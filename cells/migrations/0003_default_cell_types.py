from django.db import migrations

from cells.hierarchy.defaults import install_default_cell_types


def install(apps, schema_editor):
    install_default_cell_types(apps.get_model("cells", "CellTypeGroup"), apps.get_model("cells", "CellType"))


class Migration(migrations.Migration):
    dependencies = [("cells", "0002_hierarchy")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
