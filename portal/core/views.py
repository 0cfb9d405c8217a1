from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control, never_cache

from . import redis_cache
from .cache import cache_public
from .storage import private_storage


def ratelimited(request, exception=None):
    """Shown when a client sends too many requests (HTTP 429)."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


class Degraded(Exception):
    """A component is down but the portal still serves without it (the cache)."""


def _check_cache():
    backend = caches["default"]
    if isinstance(backend, redis_cache.FailOpenRedisCache):
        # The backend itself never raises: ask Redis directly.
        try:
            backend.ping()
        except Exception as exc:
            raise Degraded(type(exc).__name__) from exc
        return
    backend.set("healthz", "ok", 5)
    if backend.get("healthz") != "ok":
        raise RuntimeError("cache read-back failed")


def _check_broker():
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _check_storage():
    name = private_storage.save("healthz/probe.txt", ContentFile(b"ok"))
    private_storage.delete(name)


CHECKS = {
    "database": _check_database,
    "cache": _check_cache,
    "broker": _check_broker,
    "storage": _check_storage,
}


@never_cache
def healthz(request):
    """For orchestrators: 200 when the database, broker and storage answer, else 503.

    A cache that does not answer makes the status "degraded" but keeps 200: pages are served
    uncached and rate limits let requests through (portal.core.redis_cache), so restarting or
    removing the web container would not help. ``cache_failures`` counts the cache operations
    this process served without the cache.
    """
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Degraded as exc:
            results[name] = f"degraded: {exc}"
        except Exception as exc:  # noqa: BLE001 - any failure makes the component unhealthy
            results[name] = f"error: {type(exc).__name__}"
    if all(v == "ok" for v in results.values()):
        status = "ok"
    elif any(v.startswith("error") for v in results.values()):
        status = "error"
    else:
        status = "degraded"
    body = {"status": status, "checks": results, "cache_failures": redis_cache.stats()["failures"]}
    if settings.DEBUG:
        body["settings"] = settings.SETTINGS_MODULE
    return JsonResponse(body, status=503 if status == "error" else 200)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def _error_page_site(request) -> dict:
    """The request's site's name and first hotline for the error page, if the database answers
    (it may be what broke: then the page names no site)."""
    from .sites import settings_for_site, site_for_request, site_name

    try:
        site = site_for_request(request)
        hotline = settings_for_site(site).primary_hotline if site is not None else None
        return {"site_name": site_name(site), "hotline": hotline}
    except Exception:  # noqa: BLE001 - the error page must render whatever failed
        return {}


def server_error(request):
    # No context processors and no template tags that need the database: whatever broke must
    # not break this page too.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(
        loader.get_template("500.html").render(_error_page_site(request))
    )


@cache_public
def privacy_notice(request):
    """The privacy notice (Law 91/2025/QH15, Decree 356/2025/NĐ-CP): what is kept, why, how
    long, who sees it."""
    from .models import PortalSettings
    from .sites import site_for_request

    site = site_for_request(request)
    return render(
        request,
        "core/privacy_notice.html",
        {
            "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS,
            "questions_days": settings.QUESTIONS_RETENTION_DAYS,
            "consultation_days": settings.CONSULTATIONS_CONTACT_RETENTION_DAYS,
            "portal_settings": PortalSettings.for_site(site) if site else None,
        },
    )


@cache_control(max_age=86400, public=True)
def favicon(request):
    """The portal's icon for clients that ask /favicon.ico instead of reading the page's link."""
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
