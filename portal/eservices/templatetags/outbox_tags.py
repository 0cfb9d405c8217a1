"""The number of e-mails given up, for the notice on the dossier list."""

from django import template

from ..models import OutboxEmail

register = template.Library()


@register.simple_tag
def failed_email_count():
    return OutboxEmail.objects.failed().count()
