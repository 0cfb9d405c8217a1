"""The notification settings, read from the environment in this one place.

``portal/settings/base.py`` sets ``NOTIFICATIONS = notifications_from_env(env)``; until it does (and
in any process whose settings leave it out) ``current()`` builds the same dict from the
environment. This module imports nothing of Django's models: the settings import it.

Each channel names its backend; a channel whose backend is empty, or lacks what it needs (an SMS
backend with no URL, a Zalo backend with no app id), is switched off, and ``switched_off_reason``
says why in words for the delivery report.
"""

from __future__ import annotations

import environ

EMAIL, SMS, ZALO = "email", "sms", "zalo"
CHANNELS = (EMAIL, SMS, ZALO)

# Backends each channel may use; "" switches the channel off.
BACKENDS = {
    EMAIL: ("", "console", "email"),
    SMS: ("", "console", "http"),
    ZALO: ("", "console", "zalo"),
}

# A JSON body that fits eSMS-style brand-name APIs; providers that want another shape set
# NOTIFY_SMS_BODY (placeholders {phone} {text} {brandname} {key}).
DEFAULT_SMS_BODY = (
    '{"Phone": "{phone}", "Content": "{text}", "Brandname": "{brandname}", '
    '"SmsType": "2", "RequestId": "{key}"}'
)


def _rate(text: str) -> float:
    try:
        return max(float(text), 0.0)
    except (TypeError, ValueError):
        return 0.0


def notifications_from_env(env: environ.Env | None = None) -> dict:
    """The ``NOTIFICATIONS`` dict from NOTIFY_* variables (see docs/notifications.md)."""
    env = env or environ.Env()
    sms_url = env("NOTIFY_SMS_URL", default="")
    zalo_app = env("NOTIFY_ZALO_APP_ID", default="")
    return {
        # A failed try is tried again after RETRY_SECONDS, doubling, at most MAX_RETRY_SECONDS
        # apart; after MAX_ATTEMPTS tries the message is given up.
        "MAX_ATTEMPTS": env.int("NOTIFY_MAX_ATTEMPTS", default=6),
        "RETRY_SECONDS": env.int("NOTIFY_RETRY_SECONDS", default=60),
        "MAX_RETRY_SECONDS": env.int("NOTIFY_MAX_RETRY_SECONDS", default=6 * 3600),
        # A worker holds a message this long while it calls the provider; a message still
        # "sending" after its lease is left alone (it may have gone out) and marked failed.
        "LEASE_SECONDS": env.int("NOTIFY_LEASE_SECONDS", default=300),
        "HTTP_TIMEOUT": env.float("NOTIFY_HTTP_TIMEOUT", default=15.0),
        # The periodic task sends at most this many messages a run.
        "BATCH_SIZE": env.int("NOTIFY_BATCH_SIZE", default=200),
        # Messages finished longer ago than this (sent, failed, given up) are deleted.
        "RETENTION_DAYS": env.int("NOTIFY_RETENTION_DAYS", default=90),
        "CHANNELS": {
            EMAIL: {
                "BACKEND": env("NOTIFY_EMAIL_BACKEND", default="email"),
                "RATE": _rate(env("NOTIFY_EMAIL_RATE", default="10")),
            },
            SMS: {
                "BACKEND": env("NOTIFY_SMS_BACKEND", default="http" if sms_url else ""),
                "RATE": _rate(env("NOTIFY_SMS_RATE", default="5")),
                "URL": sms_url,
                "METHOD": env("NOTIFY_SMS_METHOD", default="POST").upper(),
                # "Name: value", e.g. "Authorization: Basic dG9rZW46eA==".
                "AUTH_HEADER": env("NOTIFY_SMS_AUTH_HEADER", default=""),
                "BODY": env("NOTIFY_SMS_BODY", default=DEFAULT_SMS_BODY),
                "BODY_FORMAT": env("NOTIFY_SMS_BODY_FORMAT", default="json").lower(),
                "BRANDNAME": env("NOTIFY_SMS_BRANDNAME", default=""),
                # How the provider wants the number: "84" (84912345678), "+84" or "0".
                "PHONE_FORMAT": env("NOTIFY_SMS_PHONE_FORMAT", default="84"),
                # Where the answer holds the message id, and (providers that answer 200 to
                # everything) which field says success and its accepted values.
                "ID_FIELD": env("NOTIFY_SMS_ID_FIELD", default="SMSID"),
                "SUCCESS_FIELD": env("NOTIFY_SMS_SUCCESS_FIELD", default=""),
                "SUCCESS_VALUES": env.list("NOTIFY_SMS_SUCCESS_VALUES", default=[]),
            },
            ZALO: {
                "BACKEND": env("NOTIFY_ZALO_BACKEND", default="zalo" if zalo_app else ""),
                "RATE": _rate(env("NOTIFY_ZALO_RATE", default="5")),
                "APP_ID": zalo_app,
                "SECRET_KEY": env("NOTIFY_ZALO_SECRET_KEY", default=""),
                # The first tokens; once refreshed, the tokens in the database are used.
                "ACCESS_TOKEN": env("NOTIFY_ZALO_ACCESS_TOKEN", default=""),
                "REFRESH_TOKEN": env("NOTIFY_ZALO_REFRESH_TOKEN", default=""),
                "OA_URL": env(
                    "NOTIFY_ZALO_OA_URL", default="https://openapi.zalo.me/v3.0/oa/message/cs"
                ),
                "ZNS_URL": env(
                    "NOTIFY_ZALO_ZNS_URL",
                    default="https://business.openapi.zalo.me/message/template",
                ),
                "OAUTH_URL": env(
                    "NOTIFY_ZALO_OAUTH_URL", default="https://oauth.zaloapp.com/v4/oa/access_token"
                ),
                # Error codes meaning "access token invalid or expired" (-216 OA, -124 ZNS).
                "TOKEN_ERRORS": [
                    int(c) for c in env.list("NOTIFY_ZALO_TOKEN_ERRORS", default=["-216", "-124"])
                ],
                # Error codes worth another try later (over the rate or quota of the moment).
                "RETRY_ERRORS": [
                    int(c) for c in env.list("NOTIFY_ZALO_RETRY_ERRORS", default=["-32"])
                ],
            },
        },
    }


def current() -> dict:
    """The settings in force: ``settings.NOTIFICATIONS``, or the environment's."""
    from django.conf import settings

    configured = getattr(settings, "NOTIFICATIONS", None)
    return configured if configured is not None else notifications_from_env()


def channel(name: str) -> dict:
    return current()["CHANNELS"].get(name, {})


def open_channels(zalo_by_phone: bool = False) -> list[tuple[str, str]]:
    """The channels this installation can send on, as (value, label) choices; the others are not
    offered to citizens (alert subscriptions, dossiers, questions). Zalo reaches a follower of the
    Official Account (``ALERTS_ZALO_OA_ID``), or with ``zalo_by_phone`` a phone number through a
    ZNS template."""
    from django.conf import settings

    from .models import Channel

    return [
        (value, label)
        for value, label in Channel.choices
        if not switched_off_reason(value)
        and (value != ZALO or zalo_by_phone or getattr(settings, "ALERTS_ZALO_OA_ID", ""))
    ]


def switched_off_reason(name: str) -> str:
    """Why the channel cannot send (in the portal's words), or "" when it can."""
    from django.utils.translation import gettext as _

    conf = channel(name)
    backend = conf.get("BACKEND", "")
    if name not in CHANNELS:
        return _("Unknown channel “%(channel)s”.") % {"channel": name}
    if not backend:
        return _("The %(channel)s channel is switched off (NOTIFY_%(var)s_BACKEND is empty).") % {
            "channel": name,
            "var": name.upper(),
        }
    if backend not in BACKENDS[name]:
        return _("The %(channel)s channel names an unknown backend “%(backend)s”.") % {
            "channel": name,
            "backend": backend,
        }
    if backend == "http" and not conf.get("URL"):
        return _("The SMS channel is switched off: NOTIFY_SMS_URL is not set.")
    if backend == "zalo":
        if not conf.get("APP_ID"):
            return _("The Zalo channel is switched off: NOTIFY_ZALO_APP_ID is not set.")
    return ""
