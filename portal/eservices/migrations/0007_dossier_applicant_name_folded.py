"""Dossiers keep the applicant's name folded (no diacritics, lower case) for the desk's search."""

from django.db import migrations, models

from portal.core.text import fold_stored


def fill(apps, schema_editor):
    fold_stored(apps.get_model("eservices", "Dossier"), "applicant_name", "applicant_name_folded")


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
