# Labels, sort keys and search texts of organizations and members.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cells", "0005_organization_path_order_idx"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="member",
            options={
                "ordering": ["sort_key", "card_number"],
                "verbose_name": "party member",
                "verbose_name_plural": "party members",
            },
        ),
        migrations.AddField(
            model_name="member",
            name="search_text",
            field=models.CharField(default="", editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="member",
            name="sort_key",
            field=models.CharField(default="", editable=False, max_length=400),
        ),
        migrations.AddField(
            model_name="organization",
            name="code_key",
            field=models.CharField(default="", editable=False, max_length=120),
        ),
        migrations.AddField(
            model_name="organization",
            name="label",
            field=models.CharField(default="", editable=False, max_length=520, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="organization",
            name="search_text",
            field=models.CharField(default="", editable=False, max_length=600),
        ),
        migrations.AddField(
            model_name="organization",
            name="sort_key",
            field=models.CharField(default="", editable=False, max_length=600),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["sort_key", "card_number"], name="member_sort_key_idx"),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(fields=["sort_key", "code"], name="organization_sort_key_idx"),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(fields=["code_key"], name="organization_code_key_idx"),
        ),
    ]
