from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("eservices", "0010_outbox_emails_to_notifications"),
    ]

    operations = [
        migrations.DeleteModel(name="OutboxEmail"),
    ]
