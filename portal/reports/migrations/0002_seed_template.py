"""The template of the district's report on IT against COVID-19 (portal.reports.seed)."""

from django.db import migrations

from portal.reports.seed import NAME, seed_defaults


def create(apps, schema_editor):
    ReportTemplate = apps.get_model("reports", "ReportTemplate")
    ReportTemplate.objects.update_or_create(site=None, name=NAME, defaults=seed_defaults())


def remove(apps, schema_editor):
    apps.get_model("reports", "ReportTemplate").objects.filter(site=None, name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
