"""Each site has its own work schedule: meetings so far were the default site's."""

import django.db.models.deletion
from django.db import migrations, models


def to_default_site(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    Meeting = apps.get_model("news", "Meeting")
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.order_by("pk").first()
    if site is None:
        Meeting.objects.all().delete()  # no site to list them on (an empty installation)
    else:
        Meeting.objects.filter(site__isnull=True).update(site=site)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0003_newspage_show_on_parent"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="site",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="meetings",
                to="wagtailcore.site",
                verbose_name="site",
            ),
        ),
        migrations.RunPython(to_default_site, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="meeting",
            name="site",
            field=models.ForeignKey(
                help_text="The portal whose work schedule lists this meeting.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="meetings",
                to="wagtailcore.site",
                verbose_name="site",
            ),
        ),
    ]
