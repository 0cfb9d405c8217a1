"""Long answers print on as many pages as they need; an e-mail that cannot be sent is counted,
given up after a bounded number of tries, and shown to the one-stop desk, who may send it again."""

import datetime
import io
import socket

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from portal.eservices.models import Dossier, OutboxEmail
from portal.eservices.tasks import flush_outbox, retry_delay, send_outbox_email
from tests.eservices.conftest import pdf_bytes
from tests.eservices.test_filing_flow import APPLICANT

HOUSEHOLD = reverse("eservices:apply_start", kwargs={"slug": "dang-ky-thanh-lap-ho-kinh-doanh"})
# Under the field's 1,000 characters, 331 lines: as a single table cell, taller than a page.
TALL_ANSWER = "a" + "\r\na" * 330


def file_household(wizard_for, trade):
    w = wizard_for(HOUSEHOLD)
    w.post(APPLICANT)
    assert w.step == "ho-kinh-doanh", w.html
    w.post(
        {
            "ten_ho": "Hộ kinh doanh Hoa Mai",
            "dia_diem__province": "38",
            "dia_diem__district": "393",
            "dia_diem__commune": "15349",
            "dia_diem__detail": "Chợ Bồng",
            "nganh_nghe": trade,
            "von": "500.000.000",
        }
    )
    assert w.step == "giay-to", w.html
    w.post({}, {"giay_de_nghi": SimpleUploadedFile("de-nghi.pdf", pdf_bytes(), "application/pdf")})
    assert w.step == "kiem-tra", w.html
    w.post({"consent": "on"})
    return Dossier.objects.get(service__slug="dang-ky-thanh-lap-ho-kinh-doanh")


def receipt_text(client, dossier):
    response = client.get(reverse("eservices:receipt", kwargs={"code": dossier.code}))
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    return len(pages), "\n".join(page.extract_text() for page in pages)


@pytest.mark.django_db
def test_receipt_of_an_answer_taller_than_a_page_runs_over_several_pages(
    es_demo, wizard_for, client
):
    dossier = file_household(wizard_for, TALL_ANSWER)
    assert dossier.answers["nganh_nghe"].count("a") == 331
    assert dossier.answers["von"] == "500000000"
    pages, text = receipt_text(client, dossier)
    assert pages >= 5
    assert [line.strip() for line in text.splitlines()].count("a") == 331
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text  # the end of the receipt follows the long answer
    # The confirmation e-mail carries the same receipt.
    message = OutboxEmail.objects.get(dossier=dossier)
    assert message.sent_at is not None and message.attempts == 1
    assert mail.outbox[-1].attachments[0][0] == f"phieu-tiep-nhan-{dossier.code}.pdf"


@pytest.mark.django_db
def test_every_line_of_a_long_answer_is_on_the_receipt_in_order(es_demo, wizard_for, client):
    lines = [f"Dòng {n:03d}" for n in range(1, 100)]
    dossier = file_household(wizard_for, "\r\n".join(lines))
    pages, text = receipt_text(client, dossier)
    assert pages >= 2
    printed = [line.strip() for line in text.splitlines() if line.strip().startswith("Dòng ")]
    assert printed == lines


def closed_smtp_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def mail_server_down(settings):
    """The real SMTP backend, at an address where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_smtp_port()
    settings.EMAIL_TIMEOUT = 2
    settings.ESERVICES_EMAIL_MAX_ATTEMPTS = 3
    settings.ESERVICES_EMAIL_RETRY_SECONDS = 60
    return settings


def due_now(message):
    OutboxEmail.objects.filter(pk=message.pk, next_attempt_at__isnull=False).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


@pytest.mark.django_db
def test_a_failing_send_is_counted_waits_longer_each_time_and_is_given_up(mail_server_down):
    message = OutboxEmail.objects.create(to="lan@example.com", subject="Hồ sơ", body="…")
    started = timezone.now()
    send_outbox_email(message.pk)
    message.refresh_from_db()
    assert message.attempts == 1 and message.sent_at is None and message.given_up_at is None
    assert "Connection" in message.last_error or "refused" in message.last_error
    assert message.next_attempt_at >= started + datetime.timedelta(seconds=60)

    send_outbox_email(message.pk)  # a copy delivered early: not due yet, not counted
    message.refresh_from_db()
    assert message.attempts == 1
    assert flush_outbox() == 0  # nothing is due

    due_now(message)
    assert flush_outbox() == 1  # handed to the (eager) worker: the second try
    message.refresh_from_db()
    assert message.attempts == 2 and message.given_up_at is None
    due_now(message)
    send_outbox_email(message.pk)
    message.refresh_from_db()
    assert message.attempts == 3 and message.given_up_at is not None
    assert message.next_attempt_at is None
    assert list(OutboxEmail.objects.failed()) == [message]
    assert flush_outbox() == 0  # given up: never tried again by itself
    send_outbox_email(message.pk)
    message.refresh_from_db()
    assert message.attempts == 3


def test_the_wait_doubles_from_the_setting(settings):
    settings.ESERVICES_EMAIL_RETRY_SECONDS = 120
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [120, 240, 480, 960]
    assert retry_delay(30) == datetime.timedelta(hours=6)


@pytest.mark.django_db
def test_the_desk_sees_failed_emails_on_the_list_and_the_dossier_and_sends_again(
    es_demo, wizard_for, mail_server_down
):
    dossier = file_household(wizard_for, "Bán lẻ tạp hóa")
    message = OutboxEmail.objects.get(dossier=dossier)
    for _try in range(3):
        due_now(message)
        send_outbox_email(message.pk)
    message.refresh_from_db()
    assert message.given_up_at is not None

    officer = Client()
    officer.force_login(es_demo["demo_users"]["motcua"])
    listing = officer.get(reverse("eservices_admin:list")).content.decode()
    assert "1 thư điện tử gửi người nộp không gửi được." in listing
    failed = officer.get(reverse("eservices_admin:failed_emails")).content.decode()
    assert dossier.code in failed and "lan@example.com" in failed
    assert "đã ngừng sau 3 lần thử" in failed
    page = officer.get(reverse("eservices_admin:detail", kwargs={"pk": dossier.pk}))
    assert "Chưa gửi được" in page.content.decode() and "Gửi lại" in page.content.decode()

    editor = Client()
    editor.force_login(es_demo["demo_users"]["bientap"])
    resend_url = reverse("eservices_admin:resend_email", kwargs={"pk": message.pk})
    assert editor.post(resend_url).status_code in (302, 403)
    message.refresh_from_db()
    assert message.given_up_at is not None  # not for someone without the desk's permission

    mail_server_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # fixed
    response = officer.post(resend_url, {"next": page.request["PATH_INFO"]})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.sent_at is not None and message.given_up_at is None
    assert "0 thư" not in officer.get(reverse("eservices_admin:list")).content.decode()
    assert "không gửi được" not in officer.get(reverse("eservices_admin:list")).content.decode()
