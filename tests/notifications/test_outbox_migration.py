"""The e-services' e-mail outbox moved into the notifications: the migration copies the e-mails
not sent yet (waiting, or given up) into notifications about their dossier or question, with the
same tries, and copies nothing twice when it runs again; sent ones stay behind."""

import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from portal.notifications.models import Notification, Status

BEFORE = [("eservices", "0010_outbox_emails_to_notifications")]
AFTER = [("eservices", "0011_delete_outboxemail")]
copy_unsent = importlib.import_module(
    "portal.eservices.migrations.0010_outbox_emails_to_notifications"
).copy_unsent


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_unsent_and_given_up_emails_are_copied_once():
    apps = _migrate(BEFORE)  # the outbox table is back, as it was before the move
    try:
        Outbox = apps.get_model("eservices", "OutboxEmail")
        Dossier = apps.get_model("eservices", "Dossier")
        FormVersion = apps.get_model("eservices", "FormVersion")
        Question = apps.get_model("questions", "Question")
        version = FormVersion.objects.create(form_key="t", digest="d" * 64, schema={"steps": []})
        dossier = Dossier.objects.create(
            code="VL-261204-0001",
            service_title="Thủ tục thử",
            form_version=version,
            agency_code="VL",
            applicant_name="Lê Thị Lan",
            applicant_email="lan@example.com",
        )
        question = Question.objects.create(
            code="HD-261204-0001",
            kind="question",
            title="Hỏi",
            content="…",
            asker_name="Bích",
            asker_phone="0912345678",
            asker_email="bich@example.vn",
            consent_at=timezone.now(),
            submitted_at=timezone.now(),
        )
        later = timezone.now() + datetime.timedelta(minutes=4)
        sent = Outbox.objects.create(
            to="lan@example.com", subject="Sent", body="…", dossier=dossier,
            sent_at=timezone.now(), attempts=1,
        )  # fmt: skip
        waiting = Outbox.objects.create(
            to="lan@example.com", subject="Hồ sơ VL-261204-0001", body="Chờ", dossier=dossier,
            attempts=2, last_error="ConnectionRefusedError", next_attempt_at=later,
        )  # fmt: skip
        given_up = Outbox.objects.create(
            to="lan@example.com", subject="Tiếp nhận", body="Biên nhận", dossier=dossier,
            attach_receipt=True, attempts=6, last_error="Từ chối",
            given_up_at=timezone.now(),
        )  # fmt: skip
        asked = Outbox.objects.create(
            to="bich@example.vn", subject="HD-261204-0001: đã tiếp nhận", body="…"
        )

        copy_unsent(apps, None)
        copy_unsent(apps, None)  # run again: nothing copied twice

        copies = {n.key: n for n in Notification.objects.all()}
        assert set(copies) == {f"outbox-email:{m.pk}" for m in (waiting, given_up, asked)}
        assert f"outbox-email:{sent.pk}" not in copies
        copy = copies[f"outbox-email:{waiting.pk}"]
        assert (copy.channel, copy.to, copy.subject, copy.body) == (
            "email", "lan@example.com", "Hồ sơ VL-261204-0001", "Chờ",
        )  # fmt: skip
        assert copy.status == Status.QUEUED and copy.attempts == 2
        assert copy.next_attempt_at == later and copy.last_error == "ConnectionRefusedError"
        assert copy.about_type.model == "dossier" and copy.about_id == str(dossier.pk)
        assert copy.attachments == []
        copy = copies[f"outbox-email:{given_up.pk}"]
        assert copy.status == Status.GIVEN_UP and copy.attempts == 6
        assert copy.next_attempt_at is None and copy.attachments == ["receipt"]
        copy = copies[f"outbox-email:{asked.pk}"]
        assert copy.about_type.model == "question" and copy.about_id == str(question.pk)
    finally:
        _migrate(AFTER)  # the outbox table is gone again
    assert "eservices_outboxemail" not in connection.introspection.table_names()
    # A message copied about a dossier is found from it (the desk's screen, erasure).
    from portal.eservices.models import Dossier as CurrentDossier

    assert CurrentDossier.objects.get().emails.count() == 2
