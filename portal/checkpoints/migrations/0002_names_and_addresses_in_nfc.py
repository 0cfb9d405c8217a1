"""Names and addresses stored before input was normalised, in the same form as new ones (NFC, names
without invisible characters): otherwise an officer typing the usual spelling never finds them."""

from django.db import migrations

from portal.core.text import normalise_stored


def normalise(apps, schema_editor):
    normalise_stored(
        apps.get_model("checkpoints", "Checkpoint"),
        names=("name", "responsible_name"),
        texts=("address",),
    )
    normalise_stored(apps.get_model("checkpoints", "CheckIn"), names=("full_name",))


class Migration(migrations.Migration):
    dependencies = [("checkpoints", "0001_initial")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop, elidable=True)]
