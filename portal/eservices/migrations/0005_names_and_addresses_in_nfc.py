"""Names and addresses stored before input was normalised, in the same form as new ones (NFC, names
without invisible characters): otherwise an officer typing the usual spelling never finds them.
A dossier's frozen answers are left as filed."""

from django.db import migrations

from portal.core.text import normalise_stored


def normalise(apps, schema_editor):
    normalise_stored(
        apps.get_model("eservices", "HealthDeclaration"),
        names=("full_name",),
        texts=("address", "nationality", "travel_details"),
    )
    normalise_stored(
        apps.get_model("eservices", "Dossier"),
        names=("applicant_name",),
        texts=("applicant_organisation", "applicant_address"),
    )


class Migration(migrations.Migration):
    dependencies = [("eservices", "0004_outbox_attempts_draft_storage")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop, elidable=True)]
