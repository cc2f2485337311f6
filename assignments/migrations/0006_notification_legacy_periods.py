"""Notifications written before periods existed each get a period of their own (so the unique constraint
of the next migration holds) and an e-mail status: sent if they were mailed, otherwise not to be sent
(an old notice is not worth mailing now)."""

from django.db import migrations
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat


def give_periods(apps, schema_editor):
    Notification = apps.get_model("assignments", "Notification")
    legacy = Notification.objects.filter(period="")
    legacy.filter(sent_at__isnull=False).update(status="sent")
    legacy.filter(sent_at__isnull=True).update(status="skipped")
    legacy.update(period=Concat(Value("legacy-"), Cast("pk", output_field=CharField())))


class Migration(migrations.Migration):
    dependencies = [("assignments", "0005_notification_delivery")]

    operations = [migrations.RunPython(give_periods, migrations.RunPython.noop)]
