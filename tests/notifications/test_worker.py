"""With a real Celery worker and Redis: a message queued while the broker is down waits in the
outbox; once the broker is back the periodic sweep and the after-commit task deliver each message
exactly once to the SMS provider's stand-in."""

import time

import pytest

from portal.celery import app as celery_app
from portal.notifications import outbox
from portal.notifications.models import Notification, Status
from portal.notifications.tasks import dispatch_due
from tests.workers import broker, closed_port_url, new_queue, start_worker, stop, switch_broker


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_what_waited_out_a_broker_outage_exactly_once(redis_url, esms):
    queue = new_queue("notify-test")
    with broker(closed_port_url(), queue):  # the broker is down
        waited = outbox.notify("sms", "0912345678", "Gửi khi hàng đợi ngừng", key="outage-1")
        outbox.enqueue(waited.pk)  # what the commit does: the broker refuses, nothing is lost
        assert Notification.objects.get(pk=waited.pk).status == Status.QUEUED

        switch_broker(redis_url)  # the broker is back
        # What beat sends every 30 s, on a connection of its own: an earlier test of this
        # process may have left kombu's shared producer pool closed.
        with celery_app.connection_for_write(redis_url) as connection:
            dispatch_due.apply_async(connection=connection, queue=queue)
        later = outbox.notify("sms", "0987654321", "Gửi sau khi hàng đợi chạy lại", key="after-1")
        outbox.enqueue(later.pk)
        outbox.enqueue(later.pk)  # delivered twice by the broker: sent once

    worker = start_worker(queue, redis_url)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and worker.poll() is None:
            statuses = set(Notification.objects.values_list("status", flat=True))
            if statuses == {Status.SENT}:
                break
            time.sleep(0.3)
    finally:
        output = stop(worker)
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}, output
    assert sorted(d["to"] for d in esms.delivered) == ["84912345678", "84987654321"]
    assert "dispatch_due" in output and "send_notification" in output
