"""The confirmation e-mail is never lost: with the broker down the dossier is saved and its
e-mail waits in the notifications' outbox; when the broker is back a real worker sends it once,
with the receipt drawn again from the dossier. A mail server that refuses is tried a bounded
number of times, then the message is given up (and shown to the desk)."""

import socket
import time

import pytest

from portal.celery import app as celery_app
from portal.eservices.models import Dossier
from portal.notifications import outbox
from portal.notifications.models import Notification, Status
from portal.notifications.tasks import dispatch_due
from tests.workers import (
    broker,
    closed_port_url,
    new_queue,
    start_worker,
    stop,
    switch_broker,
    wait_or_fail,
)

CONSOLE_MAIL = "django.core.mail.backends.console.EmailBackend"


def sweep(queue, redis_url):
    """What beat sends every 30 s: the sweep of due messages, to the test's worker."""
    with celery_app.connection_for_write(redis_url) as connection:
        dispatch_due.apply_async(connection=connection, queue=queue)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_email_waits_in_outbox_while_broker_is_down_then_worker_sends_it(
    redis_url, es_demo, wizard_for
):
    from tests.eservices.test_filing_flow import file_birth

    queue = new_queue("es-test")
    with broker(closed_port_url(), queue):
        w = file_birth(wizard_for)
        started = time.monotonic()
        w.post({"consent": "on"})
        assert time.monotonic() - started < 5  # the request does not hang on the dead broker
        dossier = Dossier.objects.get(service__slug="dang-ky-khai-sinh")
        assert dossier.code in w.html
        message = dossier.emails.get()
        assert message.status == Status.QUEUED and message.attachments == ["receipt"]

        switch_broker(redis_url)  # the broker is back
        sweep(queue, redis_url)
        outbox.enqueue(message.pk)  # a copy of the task as well: the message goes out once

    # The console mail backend prints the message, attachment included, to the worker's output.
    worker = start_worker(queue, redis_url, EMAIL_BACKEND=CONSOLE_MAIL)
    try:

        def sent():
            message.refresh_from_db()
            return message.status == Status.SENT

        wait_or_fail(sent, worker)
        time.sleep(1)  # the other copy runs meanwhile and finds it sent
    finally:
        output = stop(worker)
    assert message.attempts == 1 and message.sent_at is not None, output
    assert "dispatch_due" in output and "send_notification" in output and "succeeded" in output
    assert output.count(f'filename="phieu-tiep-nhan-{dossier.code}.pdf"') == 1, output[-3000:]


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_counts_failed_sends_and_gives_up_after_the_limit(redis_url):
    """The mail server does not answer: the real worker counts each try, waits, and stops after
    NOTIFY_MAX_ATTEMPTS instead of retrying for ever."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead_smtp = s.getsockname()[1]
    queue = new_queue("es-test")
    worker = start_worker(
        queue,
        redis_url,
        EMAIL_URL=f"smtp://127.0.0.1:{dead_smtp}",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        NOTIFY_MAX_ATTEMPTS="2",
        NOTIFY_RETRY_SECONDS="1",
    )
    try:
        with broker(redis_url, queue):
            # Queued, and handed to the worker once written (no transaction: at once).
            message = outbox.notify("email", "lan@example.com", "…", subject="Hồ sơ")

            def tried(n):
                message.refresh_from_db()
                return message.attempts >= n and message.status != Status.SENDING

            wait_or_fail(lambda: tried(1), worker)
            assert message.status == Status.QUEUED and message.next_attempt_at is not None
            assert message.last_error
            time.sleep(1.2)  # the next try is due after NOTIFY_RETRY_SECONDS
            sweep(queue, redis_url)
            wait_or_fail(lambda: tried(2), worker)
            assert message.status == Status.GIVEN_UP
            sweep(queue, redis_url)  # given up: the sweep leaves it alone
            time.sleep(2)  # nothing else runs: no retry loop in the worker
            message.refresh_from_db()
            assert message.attempts == 2 and message.sent_at is None
            assert list(Notification.objects.not_delivered()) == [message]
    finally:
        output = stop(worker)
    assert output.count("send_notification") >= 1 and "succeeded" in output, output
    assert "Retry in" not in output, output
