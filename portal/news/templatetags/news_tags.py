from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def reading_time(seconds):
    """Seconds as an announcer's reading time: "2 min 05 s"."""
    minutes, secs = divmod(int(seconds or 0), 60)
    return _("%(minutes)s min %(seconds)02d s") % {"minutes": minutes, "seconds": secs}
