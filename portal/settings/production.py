"""Production: PostgreSQL, Redis, gunicorn behind nginx.

Refuses to start (ImproperlyConfigured, naming the variable) rather than fall back to the
development defaults of base.py: SQLite, a per-process memory cache, a broker in a local folder,
and ``http://127.0.0.1:8000`` in every QR code and e-mail link.
"""

import ipaddress
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BASE_URL, CACHES, DATABASES, S3_BUCKET, STORAGES, env

# Part of the placeholder in .env.example: a key containing it was copied, not generated.
EXAMPLE_SECRET_MARKER = "change-me"  # noqa: S105  # nosec B105 - a known-bad value, refused


def _refuse(message):
    raise ImproperlyConfigured(f"Production settings: {message}")


def _is_loopback(host: str) -> bool:
    host = (host or "").strip("[]").lower()
    if host in ("", "localhost", "0.0.0.0") or host.endswith(".localhost"):  # noqa: S104  # nosec B104 - compared, not bound
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if len(SECRET_KEY) < 50:
    _refuse("DJANGO_SECRET_KEY must be set to a random value of at least 50 characters.")
if EXAMPLE_SECRET_MARKER in SECRET_KEY.lower():
    _refuse(
        "DJANGO_SECRET_KEY is the placeholder from .env.example; generate one with "
        '`python -c "import secrets; print(secrets.token_urlsafe(64))"`.'
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    _refuse("DJANGO_ALLOWED_HOSTS must list the portal's host names.")

if not env("DATABASE_URL", default=""):
    _refuse("DATABASE_URL must be set (postgres://user:password@host:5432/name).")
if DATABASES["default"]["ENGINE"] != "portal.core.postgresql":
    _refuse("DATABASE_URL must name a PostgreSQL database (postgres://...).")

# Redis for both, or each named on its own (CACHE_URL and CELERY_BROKER_URL): never the
# development fall-backs by omission. A one-process installation may name "locmemcache://".
_redis = env("REDIS_URL", default="")
if not (_redis or env("CACHE_URL", default="")):
    _refuse("REDIS_URL (or CACHE_URL) must be set: the cache shared by every process.")
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # Each worker has its own memory: a session ended in one would live on in another's copy.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
if not (_redis or env("CELERY_BROKER_URL", default="")):
    _refuse("REDIS_URL (or CELERY_BROKER_URL) must be set: the broker of background work.")

if not env("BASE_URL", default=""):
    _refuse("BASE_URL must be set to the address citizens reach the portal at (https://...).")
_base = urlsplit(BASE_URL)
if _base.scheme not in ("http", "https") or not _base.hostname:
    _refuse(f"BASE_URL must be an absolute http(s) address, not {BASE_URL!r}.")
if _is_loopback(_base.hostname):
    _refuse(
        f"BASE_URL {BASE_URL!r} is this machine's own address: QR codes and e-mail links "
        "must carry the portal's public host name."
    )

# Several web or worker containers share nothing but PostgreSQL, Redis and object storage:
# files on a local disk would be seen by one container only. A single machine may keep them on
# its disk (PORTAL_WEB_REPLICAS=1, the default).
PORTAL_WEB_REPLICAS = env.int("PORTAL_WEB_REPLICAS", default=1)
if PORTAL_WEB_REPLICAS > 1 and not S3_BUCKET:
    _refuse(
        f"PORTAL_WEB_REPLICAS={PORTAL_WEB_REPLICAS} needs S3_BUCKET (object storage): media "
        "and private files on one container's disk are not seen by the others."
    )

# Behind nginx (deploy/nginx.conf) documents on the local disk are sent by nginx once Django
# has allowed them; DOCUMENTS_X_ACCEL_REDIRECT=0 when gunicorn is reached without it (Django
# streams them then, as it always does from object storage, which has no local path).
if env.bool("DOCUMENTS_X_ACCEL_REDIRECT", default=True) and not S3_BUCKET:
    SENDFILE_BACKEND = "portal.core.sendfile_nginx"

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS is terminated by nginx (or the load balancer) in front of gunicorn.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT

# Staff who can see personal data verify a one-time code after their password
# (portal.core.security).
PORTAL_OTP_REQUIRED = env.bool("PORTAL_OTP_REQUIRED", default=True)
# Behind HTTPS, a stray http:// reference is upgraded rather than blocked.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {**CONTENT_SECURITY_POLICY["DIRECTIVES"], "upgrade-insecure-requests": True}
}
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)  # one working day
