"""Titles of check-ins in Wagtail's action log carried the visitor's name; the log outlives the
retention period and erasure requests, so the titles already written are replaced by the new one
(the record's number and time only, as ``CheckIn.__str__`` now writes it)."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat


def scrub_labels(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    content_type = ContentType.objects.filter(app_label="checkpoints", model="checkin").first()
    if content_type is None:
        return
    ModelLogEntry.objects.filter(content_type=content_type).update(
        label=Concat(Value("#"), F("object_id"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("checkpoints", "0002_names_and_addresses_in_nfc"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0063_modellogentry"),
    ]

    operations = [migrations.RunPython(scrub_labels, migrations.RunPython.noop)]
