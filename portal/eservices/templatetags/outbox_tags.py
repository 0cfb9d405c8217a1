"""Messages to applicants that could not be sent (portal.notifications), for the notice on the
dossier list: how many the user may see, and where the desk finds them."""

from django import template

from portal.notifications.kinds import scope_notifications
from portal.notifications.models import Notification

from ..outbox_views import failed_messages_url

register = template.Library()


@register.simple_tag
def failed_message_count(user):
    """Messages about dossiers of the user's communes that failed or were given up."""
    return scope_notifications(user, Notification.objects.not_delivered(), only="dossiers").count()


@register.simple_tag
def failed_messages_link():
    return failed_messages_url()
