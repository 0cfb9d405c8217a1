from celery import shared_task
from django.core.management import call_command


@shared_task(ignore_result=True)
def publish_scheduled():
    """Publish and unpublish pages whose scheduled time has come (Wagtail needs this run)."""
    call_command("publish_scheduled")
