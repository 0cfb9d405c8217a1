"""A shorter middleware chain for the busiest public writes: the check-in and check-out posts.

A crowd at a market gate checks in at once, from cheap phones, and each post must be committed
before it is acknowledged. Such a post needs host validation, the security headers, CSRF, the
input normalised and its rate limits; it has no use for the parts of the chain that serve pages,
staff or logins (the page cache, static files, the second factor, the audit context of staff
changes, editors' redirects, page routes, login lockouts), which were a third of its CPU.

A view opts in with ``@lanes.lean``; ``LaneMiddleware``, near the top of ``MIDDLEWARE``, sends the
POSTs to such views through the rest of the chain minus ``LEAN_SKIPS`` (each named with why a
lean post does not need it). A middleware added to ``MIDDLEWARE`` later runs in both chains until
it is added to ``LEAN_SKIPS``: a lean post is never less guarded by omission.
"""

from functools import lru_cache

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.urls import Resolver404, resolve

# What a lean post does not need, and why.
LEAN_SKIPS = {
    "whitenoise.middleware.WhiteNoiseMiddleware": "serves files under STATIC_URL only",
    "portal.core.cache.PageCacheMiddleware": "anonymous GET and HEAD pages only",
    "django.contrib.sessions.middleware.SessionMiddleware": "a visitor has no session",
    "django.contrib.auth.middleware.AuthenticationMiddleware": "a visitor is nobody's account",
    "django_otp.middleware.OTPMiddleware": "staff's second factor",
    "portal.core.security.StaffVerificationMiddleware": "staff's second factor",
    "portal.core.audit.RequestContextMiddleware": "names the staff member behind audited changes",
    "django.contrib.messages.middleware.MessageMiddleware": "messages after staff's actions",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware": "editors' redirects of old pages",
    "portal.core.pages.RouteCacheMiddleware": "remembers which page answers an address",
    "axes.middleware.AxesMiddleware": "login lockouts",
}


def lean(view):
    """Mark a view whose POSTs take the lean chain: it must not use sessions, the user or
    messages (its templates render without them: an anonymous page)."""
    view.lean_post = True
    return view


class _Chain(BaseHandler):
    """Django's request handling with its own list of middleware."""

    def __init__(self, middleware):
        super().__init__()
        self.middleware = list(middleware)
        configured = settings.MIDDLEWARE
        settings.MIDDLEWARE = self.middleware  # read by load_middleware, once, at start-up
        try:
            self.load_middleware()
        finally:
            settings.MIDDLEWARE = configured


def lean_middleware() -> list[str]:
    """The middleware a lean post runs through: what follows ``LaneMiddleware``, minus the skips."""
    chain = list(settings.MIDDLEWARE)
    after = chain[chain.index(f"{__name__}.LaneMiddleware") + 1 :]
    return [name for name in after if name not in LEAN_SKIPS]


@lru_cache(maxsize=4096)
def _is_lean(urlconf, path) -> bool:
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return False
    return getattr(match.func, "lean_post", False)


class LaneMiddleware:
    """Send POSTs to ``@lean`` views through the lean chain; everything else on as usual."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.lane = _Chain(lean_middleware())

    def __call__(self, request):
        if request.method == "POST" and _is_lean(settings.ROOT_URLCONF, request.path_info):
            request.lean_post = True
            return self.lane.get_response(request)
        return self.get_response(request)
