"""The outbox's promises, against the SMS stand-in on the loopback: an outage then recovery sends
exactly once, the same key queues once, tries are capped, Retry-After is honoured, a refusal is
not retried, a switched-off channel fails with its reason, a crash mid-send never sends twice."""

import datetime
import time

import pytest
from django.db import transaction
from django.utils import timezone

from portal.notifications import outbox
from portal.notifications.models import Notification, Status
from portal.notifications.tasks import dispatch_due, purge_notifications, send_notification
from portal.notifications.transport import retry_after_seconds
from tests.notifications.conftest import closed_port

PHONE = "0912345678"
TEXT = "Hồ sơ HS-2026-0001 của ông/bà đã được tiếp nhận."


def due_now(message):
    Notification.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def fresh(message):
    message.refresh_from_db()
    return message


@pytest.mark.django_db
def test_an_outage_then_recovery_sends_exactly_once(
    esms, notify_env, django_capture_on_commit_callbacks
):
    real_url = f"{esms.url}/esms/json"
    notify_env(NOTIFY_SMS_URL=f"http://127.0.0.1:{closed_port()}/esms/json")  # provider down
    started = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.notify("sms", "+84 912 345 678", TEXT, key="dossier-1:received:sms")
    fresh(message)
    assert message.to == PHONE  # stored by the portal's one phone rule
    assert message.status == Status.QUEUED and message.attempts == 1
    assert "Connection refused" in message.last_error
    assert message.next_attempt_at >= started + datetime.timedelta(seconds=60)
    assert dispatch_due() == 0  # not due yet: nothing is tried

    notify_env(NOTIFY_SMS_URL=real_url)  # the provider answers, but is failing
    esms.then(503, {"CodeResult": "99", "ErrorMessage": "Service unavailable"})
    due_now(message)
    before = timezone.now()
    assert dispatch_due() == 1
    fresh(message)
    assert message.status == Status.QUEUED and message.attempts == 2
    assert "503" in message.last_error
    assert message.next_attempt_at >= before + datetime.timedelta(seconds=120)  # doubled

    due_now(message)
    assert dispatch_due() == 1  # recovered
    fresh(message)
    assert message.status == Status.SENT and message.sent_at is not None
    assert message.attempts == 3 and message.last_error == ""
    assert [d["id"] for d in esms.delivered] == [message.provider_id]
    sms = esms.delivered[0]
    assert sms["to"] == "84912345678"
    # Every SMS goes without diacritics (160 characters a part, not 70).
    assert sms["text"] == "Ho so HS-2026-0001 cua ong/ba da duoc tiep nhan."
    assert sms["brandname"] == "UBND-VINHLOC" and sms["request_id"] == message.key

    send_notification(message.pk)  # a late copy of the task
    due_now(message)
    assert dispatch_due() == 0
    assert len(esms.delivered) == 1
    assert len(esms.requests) == 2  # the 503 and the success


@pytest.mark.django_db
def test_queuing_twice_with_the_same_key_queues_and_sends_once(
    esms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.notify("sms", PHONE, TEXT, key="dossier-7:sms")
        second = outbox.notify("sms", "0987654321", "Một nội dung khác", key="dossier-7:sms")
    assert first.pk == second.pk and second.to == PHONE
    assert Notification.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        third = outbox.notify("sms", PHONE, TEXT, key="dossier-7:sms")
    assert third.pk == first.pk and callbacks == []  # already sent: nothing handed over
    assert len(esms.delivered) == 1


@pytest.mark.django_db
def test_a_message_of_a_rolled_back_transaction_is_never_sent(
    esms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            outbox.notify("sms", PHONE, TEXT, key="rolled-back")
            raise RuntimeError("the cause failed")
    assert callbacks == [] and not Notification.objects.exists()
    assert esms.requests == []


@pytest.mark.django_db
def test_tries_are_capped_then_the_message_is_given_up(esms, django_capture_on_commit_callbacks):
    for _n in range(4):  # NOTIFY_MAX_ATTEMPTS=4 in these tests
        esms.then(500, {"CodeResult": "99", "ErrorMessage": "Internal error"})
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.notify("sms", PHONE, TEXT)
    for attempts in (2, 3, 4):
        due_now(message)
        assert dispatch_due() == 1
        assert fresh(message).attempts == attempts
    assert message.status == Status.GIVEN_UP and message.next_attempt_at is None
    assert "500" in message.last_error and "4" in message.last_error
    assert list(Notification.objects.not_delivered()) == [message]
    due_now(message)
    assert dispatch_due() == 0  # given up: never tried again by itself
    assert len(esms.requests) == 4 and esms.delivered == []


@pytest.mark.django_db
def test_429_waits_at_least_what_retry_after_asks(esms, django_capture_on_commit_callbacks):
    esms.then(
        429, {"CodeResult": "99", "ErrorMessage": "Too many requests"}, {"Retry-After": "3600"}
    )
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.notify("sms", PHONE, TEXT)
    fresh(message)
    assert message.status == Status.QUEUED and "429" in message.last_error
    assert message.next_attempt_at >= before + datetime.timedelta(seconds=3600)  # not 60 s
    due_now(message)
    assert dispatch_due() == 1
    assert fresh(message).status == Status.SENT and len(esms.delivered) == 1


def test_retry_after_is_read_as_seconds_or_as_an_http_date():
    from email.utils import format_datetime

    later = timezone.now() + datetime.timedelta(minutes=10)
    assert retry_after_seconds({"Retry-After": "120"}) == 120
    assert 590 <= retry_after_seconds({"Retry-After": format_datetime(later, usegmt=True)}) <= 600
    assert retry_after_seconds({"Retry-After": "soon"}) is None
    assert retry_after_seconds({}) is None


def test_the_wait_doubles_from_the_setting_up_to_its_maximum(notify_env):
    notify_env(NOTIFY_RETRY_SECONDS="60", NOTIFY_MAX_RETRY_SECONDS="300")
    waits = [outbox.retry_delay(n).total_seconds() for n in (1, 2, 3, 4)]
    assert waits == [60, 120, 240, 300]
    assert outbox.retry_delay(1, retry_after=90).total_seconds() == 90


@pytest.mark.django_db
def test_a_refusal_by_the_provider_is_given_up_at_once_with_its_error(
    esms, notify_env, django_capture_on_commit_callbacks
):
    notify_env(NOTIFY_SMS_BRANDNAME="")  # the provider refuses a message without brand name
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.notify("sms", PHONE, TEXT)
    fresh(message)
    assert message.status == Status.GIVEN_UP and message.attempts == 1
    assert "CodeResult" in message.last_error and "Brandname missing" in message.last_error
    due_now(message)
    assert dispatch_due() == 0 and len(esms.requests) == 1


@pytest.mark.django_db
def test_a_request_left_without_an_answer_is_not_sent_again_by_itself(
    esms, notify_env, django_capture_on_commit_callbacks
):
    notify_env(NOTIFY_HTTP_TIMEOUT="0.5")
    esms.then(200, {"CodeResult": "100", "SMSID": "late"}, delay=1.5)  # took it, answered late
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.notify("sms", PHONE, TEXT)
    fresh(message)
    assert message.status == Status.FAILED and message.attempts == 1
    assert "TimeoutError" in message.last_error
    due_now(message)
    assert dispatch_due() == 0 and len(esms.requests) == 1


@pytest.mark.django_db
def test_a_switched_off_channel_fails_the_message_with_its_reason(
    notify_env, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = outbox.notify("sms", PHONE, TEXT)  # no NOTIFY_SMS_URL
    assert callbacks == []
    fresh(message)
    assert message.status == Status.FAILED and message.attempts == 0
    assert "NOTIFY_SMS_BACKEND" in message.last_error
    assert list(Notification.objects.not_delivered()) == [message]

    notify_env(NOTIFY_SMS_BACKEND="http")  # a backend named, but no address for it
    message = outbox.notify("sms", PHONE, TEXT)
    assert message.status == Status.FAILED and "NOTIFY_SMS_URL" in message.last_error


@pytest.mark.django_db
def test_a_channel_switched_off_after_queuing_fails_the_message_when_its_turn_comes(
    esms, notify_env, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = outbox.notify("sms", PHONE, TEXT)
    notify_env(NOTIFY_SMS_BACKEND="")
    for callback in callbacks:
        callback()
    fresh(message)
    assert message.status == Status.FAILED and "NOTIFY_SMS_BACKEND" in message.last_error
    assert esms.requests == []


@pytest.mark.django_db
def test_an_address_the_channel_cannot_reach_is_refused_when_queued(esms):
    with pytest.raises(outbox.InvalidRecipient):
        outbox.notify("sms", "12345", TEXT)
    with pytest.raises(outbox.InvalidRecipient):
        outbox.notify("email", "not-an-address", TEXT)
    with pytest.raises(outbox.InvalidRecipient):
        outbox.notify("zalo", "lan@example.com", TEXT)
    with pytest.raises(ValueError):
        outbox.notify("fax", PHONE, TEXT)
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_worker_that_dies_while_sending_never_causes_a_second_send(
    esms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        message = outbox.notify("sms", PHONE, TEXT)
    claimed = outbox.claim(message.pk)  # a worker marks it sending... and dies
    assert claimed.status == Status.SENDING and claimed.lease_until > timezone.now()
    assert outbox.claim(message.pk) is None  # nobody else takes it
    send_notification(message.pk)
    assert dispatch_due() == 0  # the lease still runs
    Notification.objects.filter(pk=message.pk).update(
        lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert dispatch_due() == 0
    fresh(message)
    assert message.status == Status.FAILED and message.lease_until is None
    assert message.last_error  # says it may have been delivered
    assert esms.requests == []  # not sent again by itself

    with django_capture_on_commit_callbacks(execute=True):
        outbox.resend(message)  # staff checked with the provider and send it again
    fresh(message)
    assert message.status == Status.SENT and message.attempts == 1
    assert len(esms.delivered) == 1


@pytest.mark.django_db
def test_the_broker_being_down_loses_nothing(esms, django_capture_on_commit_callbacks):
    from portal.celery import app
    from tests.conftest import reset_broker_connections

    conf = app.conf
    saved = conf.broker_url, conf.broker_transport_options, conf.task_always_eager
    conf.broker_url = f"redis://127.0.0.1:{closed_port()}/0"
    conf.broker_transport_options = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1}
    conf.task_always_eager = False
    reset_broker_connections()
    try:
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            message = outbox.notify("sms", PHONE, TEXT)
        assert time.monotonic() - started < 5
    finally:
        conf.broker_url, conf.broker_transport_options, conf.task_always_eager = saved
        reset_broker_connections()
    assert fresh(message).status == Status.QUEUED and message.attempts == 0
    assert esms.requests == []
    assert dispatch_due() == 1  # the periodic sweep finds it
    assert fresh(message).status == Status.SENT and len(esms.delivered) == 1


@pytest.mark.django_db
def test_the_rate_cap_spreads_a_burst_over_seconds(esms, notify_env):
    notify_env(NOTIFY_SMS_RATE="4")
    for n in range(9):
        outbox.notify("sms", PHONE, f"{TEXT} ({n})")
    started = time.monotonic()
    assert dispatch_due() == 9
    assert time.monotonic() - started >= 1.0  # nine at four a second: at least three windows
    per_second = {}
    for item in esms.requests:
        per_second[int(item["time"])] = per_second.get(int(item["time"]), 0) + 1
    assert max(per_second.values()) <= 4
    assert len(esms.delivered) == 9


@pytest.mark.django_db
def test_the_message_names_what_it_is_about_and_its_site(esms):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    message = outbox.notify("sms", PHONE, TEXT, site=site, about=site, subject="Tiếp nhận")
    fresh(message)
    assert message.about == site and message.site == site
    assert str(message) == "SMS ***678"


@pytest.mark.django_db
def test_finished_messages_are_deleted_after_the_retention_period(esms, notify_env):
    notify_env(NOTIFY_RETENTION_DAYS="30")
    old = timezone.now() - datetime.timedelta(days=31)
    sent = outbox.notify("sms", PHONE, TEXT)
    given_up = outbox.notify("sms", PHONE, TEXT)
    waiting = outbox.notify("sms", PHONE, TEXT)
    recent = outbox.notify("sms", PHONE, TEXT)
    Notification.objects.filter(pk=sent.pk).update(status=Status.SENT, updated_at=old)
    Notification.objects.filter(pk=given_up.pk).update(status=Status.GIVEN_UP, updated_at=old)
    Notification.objects.filter(pk=waiting.pk).update(updated_at=old)  # still queued: kept
    Notification.objects.filter(pk=recent.pk).update(status=Status.SENT)
    assert purge_notifications() == 2
    assert set(Notification.objects.values_list("pk", flat=True)) == {waiting.pk, recent.pk}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_worker_skips_a_row_another_holds_instead_of_waiting(postgres, esms):
    import threading

    from django.db import connections

    # Written as notify does, but not handed to a worker (outside a transaction notify would).
    first = Notification.objects.create(channel="sms", to=PHONE, body="Thứ nhất")
    second = Notification.objects.create(channel="sms", to=PHONE, body="Thứ hai")
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                Notification.objects.select_for_update().get(pk=first.pk)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(10)
        started = time.monotonic()
        claimed = outbox.claim()
        assert time.monotonic() - started < 2  # no wait on the held row
        assert claimed.pk == second.pk
    finally:
        release.set()
        thread.join(10)
    assert outbox.claim().pk == first.pk  # free again: the next sweep takes it


def test_with_the_cache_down_the_rate_cap_lets_messages_go(notify_env, settings):
    from portal.notifications.throttle import wait_for_slot

    notify_env(NOTIFY_SMS_RATE="1")
    # A cache that keeps nothing answers incr as core.redis_cache does when Redis is down.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    started = time.monotonic()
    for _n in range(3):
        assert wait_for_slot("sms") == 0
    assert time.monotonic() - started < 0.5
