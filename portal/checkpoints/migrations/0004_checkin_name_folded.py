"""Check-ins keep their name folded (no diacritics, lower case) for the admin's search."""

from django.db import migrations, models

from portal.core.text import fold_stored


def fill(apps, schema_editor):
    fold_stored(apps.get_model("checkpoints", "CheckIn"), "full_name", "name_folded")


class Migration(migrations.Migration):
    dependencies = [("checkpoints", "0003_checkin_log_labels_without_names")]

    operations = [
        migrations.AddField(
            model_name="checkin",
            name="name_folded",
            field=models.CharField(blank=True, editable=False, max_length=120),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
