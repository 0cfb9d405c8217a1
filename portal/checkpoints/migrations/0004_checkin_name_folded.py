"""Check-ins keep their name folded (no diacritics, lower case) for the admin's search."""

from django.db import migrations, models

from portal.core.text import fold


def fill(apps, schema_editor):
    CheckIn = apps.get_model("checkpoints", "CheckIn")
    batch = []
    for pk, name in CheckIn.objects.values_list("pk", "full_name").iterator(chunk_size=2000):
        batch.append(CheckIn(pk=pk, name_folded=fold(name)))
        if len(batch) == 2000:
            CheckIn.objects.bulk_update(batch, ["name_folded"])
            batch = []
    if batch:
        CheckIn.objects.bulk_update(batch, ["name_folded"])


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
