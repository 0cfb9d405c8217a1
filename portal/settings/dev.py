"""`make run`: a developer's or a demo machine. SQLite, local memory cache, filesystem broker."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = SECRET_KEY or "dev-only-key-not-for-production-" + "x" * 20
PORTAL_ALLOW_DEMO_CONTENT = True
# This machine and the commune sites of the demo (<commune>.localhost, which browsers resolve to
# this machine).
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", ".localhost", "[::1]"]
)
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = str(BASE_DIR / "var" / "mail")
# SMS and Zalo messages go to the log unless a provider is configured.
NOTIFICATIONS["CHANNELS"]["sms"]["BACKEND"] = env(
    "NOTIFY_SMS_BACKEND",
    default="http" if NOTIFICATIONS["CHANNELS"]["sms"]["URL"] else "console",
)
NOTIFICATIONS["CHANNELS"]["zalo"]["BACKEND"] = env(
    "NOTIFY_ZALO_BACKEND",
    default="zalo" if NOTIFICATIONS["CHANNELS"]["zalo"]["APP_ID"] else "console",
)

try:
    from .local import *  # noqa: F403
except ImportError:
    pass

for _folder in ("", "media", "private", "mail", "celery/queue", "celery/control"):
    (BASE_DIR / "var" / _folder).mkdir(parents=True, exist_ok=True)
