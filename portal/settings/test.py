"""`make test`. SQLite unless DATABASE_URL is set (CI sets PostgreSQL and Redis)."""

import tempfile

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key-" + "t" * 40
PORTAL_ALLOW_DEMO_CONTENT = True
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Workers started by tests may be given a real backend (a mail server that is down).
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Unit tests run tasks in-process; tests under tests/integration start a real worker instead.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
_tmp = tempfile.mkdtemp(prefix="portal-test-")
MEDIA_ROOT = f"{_tmp}/media"
PRIVATE_MEDIA_ROOT = f"{_tmp}/private"
STATIC_ROOT = f"{_tmp}/static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=False)
# Tests see every change at once; tests of the page cache switch it on themselves.
PAGE_CACHE_ENABLED = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: workers and servers started by tests open the same database.
    DATABASES["default"]["TEST"] = {"NAME": f"{_tmp}/test.sqlite3"}
if CELERY_BROKER_URL.startswith("filesystem://"):
    import os as _os

    _queue_dir = env("CELERY_FILESYSTEM_DIR", default=f"{_tmp}/celery")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": f"{_queue_dir}/queue",
        "data_folder_out": f"{_queue_dir}/queue",
        "control_folder": f"{_queue_dir}/control",
    }
    for _folder in ("queue", "control"):
        _os.makedirs(f"{_queue_dir}/{_folder}", exist_ok=True)
