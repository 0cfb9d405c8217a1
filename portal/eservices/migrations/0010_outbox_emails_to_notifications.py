"""The e-services' e-mail outbox moves to the notifications: every e-mail not sent yet (waiting
for a try, or given up and shown to the desk) is copied into ``notifications.Notification`` with
the key ``outbox-email:<pk>``, so that running this again copies nothing twice. Sent e-mails are
not copied: the delivery report starts with the messages still to look after.

An e-mail of a dossier is about that dossier (its receipt, if it carried one, is drawn again when
it is sent); one of a question (its subject starts with the question's code) about that question.
"""

from django.db import migrations


def copy_unsent(apps, schema_editor):
    OutboxEmail = apps.get_model("eservices", "OutboxEmail")
    rows = OutboxEmail.objects.filter(sent_at__isnull=True).order_by("pk")
    if not rows.exists():
        return
    Notification = apps.get_model("notifications", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Dossier = apps.get_model("eservices", "Dossier")
    Question = apps.get_model("questions", "Question")
    dossier_type, _new = ContentType.objects.get_or_create(app_label="eservices", model="dossier")
    question_type, _new = ContentType.objects.get_or_create(app_label="questions", model="question")
    copied = set(
        Notification.objects.filter(key__startswith="outbox-email:").values_list("key", flat=True)
    )
    for row in rows.iterator():
        key = f"outbox-email:{row.pk}"
        if key in copied:
            continue
        about_type, about_id, site_id = None, "", None
        if row.dossier_id:
            about_type, about_id = dossier_type, str(row.dossier_id)
            site_id = Dossier.objects.filter(pk=row.dossier_id).values_list("site_id", flat=True)[0]
        else:
            code = row.subject.split(":", 1)[0].strip()
            question = Question.objects.filter(code=code, asker_email=row.to).first()
            if question is not None:
                about_type, about_id, site_id = question_type, str(question.pk), question.site_id
        given_up = row.given_up_at is not None
        Notification.objects.create(
            key=key,
            channel="email",
            to=row.to,
            subject=row.subject[:250],
            body=row.body,
            site_id=site_id,
            about_type=about_type,
            about_id=about_id,
            status="given_up" if given_up else "queued",
            attempts=row.attempts,
            next_attempt_at=None if given_up else row.next_attempt_at,
            last_error=row.last_error,
            attachments=["receipt"] if row.attach_receipt and row.dossier_id else [],
            created_at=row.created_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("eservices", "0009_dossier_notify_channel"),
        ("notifications", "0002_notification_attachments"),
        ("questions", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_unsent, migrations.RunPython.noop)]
