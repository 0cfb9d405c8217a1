"""Rate limits on public writes and lookups, by client address, configured in settings."""

from django.conf import settings
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit

BY_ADDRESS = "portal.core.net.ratelimit_key"


def limit(group: str, method=("POST",), key=BY_ADDRESS):
    """Limit a view by the rate configured in PORTAL_RATE_LIMITS[group] (key: the client
    address unless another django-ratelimit key is given)."""

    def rate(_group, _request):
        return settings.PORTAL_RATE_LIMITS[group]

    return ratelimit(key=key, rate=rate, group=group, method=list(method), block=True)


def over_limit(request, group: str, key=BY_ADDRESS) -> bool:
    """Count this request in ``group``; True when it is over PORTAL_RATE_LIMITS[group]. For views
    that refuse one part of a request (an upload, an e-mail) rather than the whole request."""
    rate = settings.PORTAL_RATE_LIMITS[group]
    return is_ratelimited(request, group=group, key=key, rate=rate, method=ALL, increment=True)
