import datetime

from celery import shared_task
from django.utils import timezone


@shared_task(ignore_result=True)
def send_alert(pk):
    from .sending import fan_out

    return fan_out(pk)


@shared_task(ignore_result=True)
def send_pending_alerts():
    """Alerts published while the broker was down (periodic): fanned out now."""
    from .models import AlertPage
    from .sending import fan_out

    waiting = AlertPage.objects.filter(
        sent_at__isnull=False,
        queued_at__isnull=True,
        sent_at__lt=timezone.now() - datetime.timedelta(minutes=1),
    )
    for pk in waiting.values_list("pk", flat=True):
        fan_out(pk)


@shared_task(ignore_result=True)
def purge_unconfirmed():
    """Subscriptions never confirmed are deleted after two days (their address is personal)."""
    from .models import Subscription

    cutoff = timezone.now() - datetime.timedelta(days=2)
    return Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()[0]
