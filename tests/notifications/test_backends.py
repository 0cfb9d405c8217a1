"""Each backend against its provider's contract on the loopback: SMS APIs of other shapes (Basic
auth and a 400 for an invalid number, a form body, a GET), Zalo OA and ZNS with the expired
token refreshed and stored, e-mail through Django's mail, and the console."""

import base64
import json
import logging

import pytest
from django.core import mail

from portal.notifications import outbox
from portal.notifications.models import Notification, Status, ZaloToken
from portal.notifications.tasks import dispatch_due
from tests.notifications.conftest import closed_port
from tests.notifications.providers import SPEEDSMS_TOKEN

PHONE = "0912345678"


def send(*args, **kwargs):
    """Queue and send at once (as a worker does right after the commit)."""
    message = outbox.notify(*args, **kwargs)
    outbox.send_one(message.pk)
    message.refresh_from_db()
    return message


def due_now(message):
    Notification.objects.filter(pk=message.pk).update(next_attempt_at=None)


@pytest.fixture
def speedsms(provider, notify_env):
    token = base64.b64encode(f"{SPEEDSMS_TOKEN}:x".encode()).decode()
    notify_env(
        NOTIFY_SMS_URL=f"{provider.url}/speedsms/send",
        NOTIFY_SMS_AUTH_HEADER=f"Authorization: Basic {token}",
        NOTIFY_SMS_BODY='{"to": ["{phone}"], "content": "{text}", "sms_type": 2, '
        '"sender": "{brandname}"}',
        NOTIFY_SMS_BRANDNAME="UBND-VINHLOC",
        NOTIFY_SMS_ID_FIELD="data.tranId",
        NOTIFY_SMS_RATE="0",
    )
    return provider


@pytest.mark.django_db
def test_sms_with_basic_auth_keeps_quotes_and_braces_inside_the_text(speedsms):
    text = 'Mã hồ sơ "HS-01" {đã nhận}\nXin cảm ơn.'
    message = send("sms", "+84 912 345 678", text)
    assert message.status == Status.SENT
    assert speedsms.delivered == [
        {
            "id": message.provider_id,
            "channel": "sms",
            "to": "84912345678",
            "text": 'Ma ho so "HS-01" {da nhan}\nXin cam on.',  # SMS go without diacritics
            "brandname": "UBND-VINHLOC",
        }
    ]
    body = json.loads(speedsms.requests[0]["body"])
    assert body["sms_type"] == 2  # the template's own values keep their type


@pytest.mark.django_db
def test_sms_a_number_the_provider_rejects_is_given_up_with_its_400(speedsms):
    # A fixed line is a valid Vietnamese number, but this provider sends to mobiles only.
    message = send("sms", "(0237) 3 870 115", "Thông báo")
    assert message.status == Status.GIVEN_UP and message.attempts == 1
    assert "400" in message.last_error and "invalid phone number" in message.last_error
    assert len(speedsms.requests) == 1


@pytest.mark.django_db
def test_sms_a_wrong_token_is_a_refusal_not_an_endless_retry(speedsms, notify_env):
    notify_env(NOTIFY_SMS_AUTH_HEADER="Authorization: Basic d3Jvbmc6eA==")
    message = send("sms", PHONE, "Thông báo")
    assert message.status == Status.GIVEN_UP and "401" in message.last_error


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["POST", "GET"])
def test_sms_form_body_with_the_national_number(provider, notify_env, method):
    notify_env(
        NOTIFY_SMS_URL=f"{provider.url}/form/send",
        NOTIFY_SMS_METHOD=method,
        NOTIFY_SMS_BODY_FORMAT="form",
        NOTIFY_SMS_BODY="phone={phone}&message={text}&brandname={brandname}",
        NOTIFY_SMS_PHONE_FORMAT="0",
        NOTIFY_SMS_BRANDNAME="UBND",
        NOTIFY_SMS_ID_FIELD="id",
    )
    message = send("sms", "84912345678", "Lịch tiếp dân: 8h & 14h")
    assert message.status == Status.SENT
    assert provider.delivered[0]["to"] == PHONE
    assert provider.delivered[0]["text"] == "Lich tiep dan: 8h & 14h"
    assert provider.requests[0]["method"] == method


@pytest.mark.django_db
def test_sms_an_invalid_json_template_fails_the_message_with_the_reason(provider, notify_env):
    notify_env(NOTIFY_SMS_URL=f"{provider.url}/esms/json", NOTIFY_SMS_BODY='{"Phone": {phone}}')
    message = send("sms", PHONE, "Thông báo")
    assert message.status == Status.FAILED and "NOTIFY_SMS_BODY" in message.last_error
    assert provider.requests == []


@pytest.mark.django_db
def test_zalo_expired_token_is_refreshed_stored_and_the_message_sent(zalo):
    message = send("zalo", "8100000000000000001", "Hồ sơ của bạn đã có kết quả.")
    assert message.status == Status.SENT and message.attempts == 1
    assert zalo.delivered[0]["id"] == message.provider_id
    assert zalo.delivered[0]["to"] == "8100000000000000001"
    calls = [(r["path"], r["headers"].get("access_token")) for r in zalo.requests]
    assert calls == [
        ("/v3.0/oa/message/cs", "access-0-expired"),
        ("/v4/oa/access_token", None),
        ("/v3.0/oa/message/cs", "access-2"),
    ]
    oauth = zalo.requests[1]
    assert oauth["headers"]["secret_key"] == "zalo-app-secret"
    assert (
        b"grant_type=refresh_token" in oauth["body"] and b"refresh_token=refresh-1" in oauth["body"]
    )
    token = ZaloToken.objects.get()
    assert (token.access_token, token.refresh_token) == ("access-2", "refresh-2")
    assert token.expires_at is not None

    send("zalo", "8100000000000000001", "Tin thứ hai")  # the stored token, no refresh
    assert zalo.refreshes == 1 and zalo.requests[-1]["headers"]["access_token"] == "access-2"

    zalo.access_token = "access-rotated"  # expired again: the stored refresh token is used
    zalo.refresh_token = "refresh-2"
    send("zalo", "8100000000000000001", "Tin thứ ba")
    assert ZaloToken.objects.get().refresh_token == f"refresh-{zalo.refreshes + 1}"
    assert len(zalo.delivered) == 3


@pytest.mark.django_db
def test_zns_template_to_a_phone(zalo):
    message = send(
        "zalo",
        "0912 345 678",
        "Hồ sơ HS-01 đã có kết quả",
        template="231145",
        template_data={"ma_ho_so": "HS-01", "ngay_hen": "05/12/2026"},
    )
    assert message.status == Status.SENT and message.to == PHONE
    zns = zalo.delivered[0]
    assert zns["to"] == "84912345678" and zns["template"] == "231145"
    assert zns["data"] == {"ma_ho_so": "HS-01", "ngay_hen": "05/12/2026"}
    assert zns["tracking"] == message.key[:48]
    assert zalo.refreshes == 1  # -124, the ZNS code for an invalid token, refreshed it too


@pytest.mark.django_db
def test_zalo_a_broken_refresh_token_is_retried_until_an_operator_sets_a_new_one(zalo, notify_env):
    notify_env(NOTIFY_ZALO_REFRESH_TOKEN="refresh-used-already")
    message = send("zalo", "8100000000000000001", "Thông báo")
    assert message.status == Status.QUEUED and "-14014" in message.last_error
    assert zalo.delivered == []

    notify_env(NOTIFY_ZALO_REFRESH_TOKEN="refresh-1")  # the new one, from the OA's console
    due_now(message)
    assert dispatch_due() == 1
    message.refresh_from_db()
    assert message.status == Status.SENT and len(zalo.delivered) == 1


@pytest.mark.django_db
def test_zalo_an_error_of_the_recipient_is_given_up_a_server_error_retried(zalo):
    message = send("zalo", "404404", "Thông báo")  # the user does not follow the OA
    assert message.status == Status.GIVEN_UP and "-213" in message.last_error

    zalo.then(502, {"error": "bad gateway"})
    message = send("zalo", "8100000000000000001", "Thông báo")
    assert message.status == Status.QUEUED and "502" in message.last_error
    due_now(message)
    assert dispatch_due() == 1
    message.refresh_from_db()
    assert message.status == Status.SENT


@pytest.mark.django_db
def test_zalo_without_an_app_id_is_switched_off(notify_env):
    notify_env(NOTIFY_ZALO_BACKEND="zalo")
    message = outbox.notify("zalo", "8100000000000000001", "Thông báo")
    assert message.status == Status.FAILED and "NOTIFY_ZALO_APP_ID" in message.last_error


@pytest.mark.django_db
def test_email_goes_through_djangos_mail_with_its_message_id():
    message = send("email", "lan@example.com", "Nội dung", subject="Hồ sơ đã tiếp nhận")
    assert message.status == Status.SENT
    [email] = mail.outbox
    assert email.to == ["lan@example.com"] and email.subject == "Hồ sơ đã tiếp nhận"
    assert email.extra_headers["Message-ID"] == message.provider_id


@pytest.mark.django_db
def test_email_with_the_mail_server_down_is_tried_again(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
    message = send("email", "lan@example.com", "Nội dung")
    assert message.status == Status.QUEUED and message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error


@pytest.mark.django_db
def test_console_backend_writes_the_message_to_the_log_with_the_number_masked(notify_env, caplog):
    notify_env(NOTIFY_SMS_BACKEND="console")
    with caplog.at_level(logging.INFO, logger="portal.notifications"):
        message = send("sms", PHONE, "Lịch cắt điện ngày mai")
    assert message.status == Status.SENT and message.provider_id.startswith("console-")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Lich cat dien ngay mai" in logged and "***678" in logged
    assert PHONE not in logged


@pytest.mark.django_db
def test_email_can_be_switched_off(notify_env):
    notify_env(NOTIFY_EMAIL_BACKEND="")
    message = outbox.notify("email", "lan@example.com", "Nội dung")
    assert message.status == Status.FAILED and "NOTIFY_EMAIL_BACKEND" in message.last_error
    assert mail.outbox == []
