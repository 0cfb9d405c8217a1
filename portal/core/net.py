"""The client's address as seen behind the configured number of trusted proxies."""

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104  # nosec B104 - a placeholder, not a bind address
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [p for p in forwarded if p]
    # Each trusted proxy appends the address it received the request from; the client is the
    # entry the outermost trusted proxy appended. Entries before it are the client's own claims.
    chain = [*forwarded, remote]
    return chain[-(hops + 1)] if len(chain) > hops else chain[0]


def ratelimit_key(group, request):
    """Key function for django-ratelimit."""
    return client_ip(request)
