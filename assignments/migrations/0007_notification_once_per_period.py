from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("assignments", "0006_notification_legacy_periods")]

    operations = [
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                fields=("recipient", "kind", "period"), name="notification_once_per_period"
            ),
        ),
    ]
