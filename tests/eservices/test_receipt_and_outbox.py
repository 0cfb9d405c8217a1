"""Long answers print on as many pages as they need, and the confirmation e-mail (a notification
about the dossier) carries the same receipt, drawn again when it is sent; an e-mail that cannot be
sent is counted, given up after a bounded number of tries (NOTIFY_MAX_ATTEMPTS), and shown to the
one-stop desk in the delivery report, who may send it again."""

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

from portal.eservices.models import Dossier
from portal.notifications import outbox
from portal.notifications.models import Notification, Status
from tests.eservices.conftest import pdf_bytes
from tests.eservices.test_filing_flow import APPLICANT
from tests.notifications.conftest import notify_env  # noqa: F401 (NOTIFY_* as in production)

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
    # The confirmation e-mail carries the same receipt, every page of it.
    message = dossier.emails.get()
    assert message.status == Status.SENT and message.attempts == 1
    assert message.attachments == ["receipt"] and message.key.endswith(":email")
    [(filename, content, mimetype)] = mail.outbox[-1].attachments
    assert filename == f"phieu-tiep-nhan-{dossier.code}.pdf" and mimetype == "application/pdf"
    attached = PdfReader(io.BytesIO(content)).pages
    assert len(attached) == pages
    attached_text = "\n".join(page.extract_text() for page in attached)
    assert dossier.code in attached_text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in attached_text


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
def mail_server_down(settings, notify_env):  # noqa: F811
    """The real SMTP backend, at an address where nothing listens; three tries a minute apart."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_smtp_port()
    settings.EMAIL_TIMEOUT = 2
    notify_env(NOTIFY_MAX_ATTEMPTS="3", NOTIFY_RETRY_SECONDS="60")
    return settings


def due_now(message):
    Notification.objects.filter(pk=message.pk, next_attempt_at__isnull=False).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


@pytest.mark.django_db
def test_a_failing_send_is_counted_waits_longer_each_time_and_is_given_up(mail_server_down):
    started = timezone.now()
    # Queued and handed to the (eager) worker at once: the first try.
    message = outbox.notify("email", "lan@example.com", "…", subject="Hồ sơ")
    message.refresh_from_db()
    assert message.attempts == 1 and message.sent_at is None
    assert message.status == Status.QUEUED
    assert "Connection" in message.last_error or "refused" in message.last_error
    assert message.next_attempt_at >= started + datetime.timedelta(seconds=60)

    outbox.send_one(message.pk)  # a copy delivered early: not due yet, not counted
    message.refresh_from_db()
    assert message.attempts == 1
    assert outbox.dispatch_due() == 0  # nothing is due

    due_now(message)
    assert outbox.dispatch_due() == 1  # the sweep: the second try
    message.refresh_from_db()
    assert message.attempts == 2 and message.status == Status.QUEUED
    due_now(message)
    outbox.send_one(message.pk)
    message.refresh_from_db()
    assert message.attempts == 3 and message.status == Status.GIVEN_UP
    assert message.next_attempt_at is None
    assert list(Notification.objects.not_delivered()) == [message]
    assert outbox.dispatch_due() == 0  # given up: never tried again by itself
    outbox.send_one(message.pk)
    message.refresh_from_db()
    assert message.attempts == 3


def test_the_wait_doubles_from_the_setting(notify_env):  # noqa: F811
    notify_env(NOTIFY_RETRY_SECONDS="120")
    assert [outbox.retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [120, 240, 480, 960]
    assert outbox.retry_delay(30) == datetime.timedelta(hours=6)


@pytest.mark.django_db
def test_the_desk_sees_failed_emails_in_the_report_and_on_the_dossier_and_sends_again(
    es_demo, wizard_for, mail_server_down
):
    dossier = file_household(wizard_for, "Bán lẻ tạp hóa")
    message = dossier.emails.get()  # the first try failed as it was filed
    for _try in range(2):
        due_now(message)
        outbox.send_one(message.pk)
    message.refresh_from_db()
    assert message.status == Status.GIVEN_UP and message.attempts == 3

    officer = Client()
    officer.force_login(es_demo["demo_users"]["motcua"])
    listing = officer.get(reverse("eservices_admin:list")).content.decode()
    assert "1 thông báo gửi người nộp không gửi được." in listing
    report = "/admin/thong-bao/?about=dossiers&amp;status=not_delivered"
    assert report in listing
    # The old address of the desk's list leads to the delivery report, filtered to dossiers.
    old = officer.get(reverse("eservices_admin:failed_emails"))
    assert old.status_code == 302 and old["Location"] == report.replace("&amp;", "&")
    failed = officer.get(old["Location"]).content.decode()
    assert dossier.code in failed and "Hồ sơ trực tuyến" in failed
    assert "lan@example.com" not in failed and "***com" in failed  # masked in the listing
    assert "đã bỏ sau 3 lần gửi" in failed
    inspect = officer.get(reverse("notifications:inspect", args=[message.pk])).content.decode()
    assert "lan@example.com" in inspect and "Gửi lại" in inspect
    page = officer.get(reverse("eservices_admin:detail", kwargs={"pk": dossier.pk}))
    assert "Chưa gửi được" in page.content.decode() and "Gửi lại" in page.content.decode()
    assert "đã ngừng sau 3 lần thử" in page.content.decode()

    editor = Client()
    editor.force_login(es_demo["demo_users"]["bientap"])
    resend_url = reverse("notifications:resend", kwargs={"pk": message.pk})
    assert editor.post(resend_url).status_code in (302, 403)
    message.refresh_from_db()
    assert message.status == Status.GIVEN_UP  # not for someone without the desk's permission

    mail_server_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # fixed
    response = officer.post(resend_url, {"next": page.request["PATH_INFO"]})
    assert response.status_code == 302 and response["Location"] == page.request["PATH_INFO"]
    message.refresh_from_db()
    assert message.status == Status.SENT and message.sent_at is not None
    assert mail.outbox[-1].attachments[0][0] == f"phieu-tiep-nhan-{dossier.code}.pdf"
    assert "không gửi được" not in officer.get(reverse("eservices_admin:list")).content.decode()
