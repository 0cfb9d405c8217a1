"""Dossiers keep the applicant's name folded (no diacritics, lower case) for the desk's search."""

from django.db import migrations, models

from portal.core.text import fold


def fill(apps, schema_editor):
    Dossier = apps.get_model("eservices", "Dossier")
    batch = []
    for pk, name in Dossier.objects.values_list("pk", "applicant_name").iterator(chunk_size=2000):
        batch.append(Dossier(pk=pk, applicant_name_folded=fold(name)))
        if len(batch) == 2000:
            Dossier.objects.bulk_update(batch, ["applicant_name_folded"])
            batch = []
    if batch:
        Dossier.objects.bulk_update(batch, ["applicant_name_folded"])


class Migration(migrations.Migration):
    dependencies = [("eservices", "0006_catalogue_shared_per_site")]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="applicant_name_folded",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
