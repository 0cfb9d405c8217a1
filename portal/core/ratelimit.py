"""Rate limits on public writes and lookups, by client address, configured in settings."""

from django.conf import settings
from django_ratelimit.decorators import ratelimit


def limit(group: str, method=("POST",)):
    """Limit a view by the rate configured in PORTAL_RATE_LIMITS[group]."""

    def rate(_group, _request):
        return settings.PORTAL_RATE_LIMITS[group]

    return ratelimit(
        key="portal.core.net.ratelimit_key", rate=rate, group=group, method=list(method), block=True
    )
