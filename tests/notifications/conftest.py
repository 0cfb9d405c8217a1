"""Fixtures of the notification tests: settings read from NOTIFY_* variables as in production, and
the providers' stand-in on the loopback."""

import json
import os
import socket

import pytest

from portal.notifications.conf import notifications_from_env
from tests.notifications.providers import ESMS_KEYS, ZALO_APP_ID, ZALO_SECRET, Provider


@pytest.fixture(autouse=True)
def notify_env(monkeypatch, settings):
    """Every NOTIFY_* variable cleared; ``notify_env(NAME=value, ...)`` sets some and rebuilds
    ``settings.NOTIFICATIONS`` from the environment, as portal/settings does."""
    for name in list(os.environ):
        if name.startswith("NOTIFY_"):
            monkeypatch.delenv(name)

    def configure(**variables):
        for name, value in variables.items():
            monkeypatch.setenv(name, str(value))
        settings.NOTIFICATIONS = notifications_from_env()
        return settings.NOTIFICATIONS

    configure(NOTIFY_RETRY_SECONDS="60", NOTIFY_MAX_ATTEMPTS="4")
    return configure


@pytest.fixture
def provider():
    server = Provider().start()
    yield server
    server.stop()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def esms(provider, notify_env):
    """The SMS channel on the eSMS-style API of the stand-in."""
    body = json.dumps(
        {
            **ESMS_KEYS,
            "Phone": "{phone}",
            "Content": "{text}",
            "Brandname": "{brandname}",
            "SmsType": "2",
            "RequestId": "{key}",
        }
    )
    notify_env(
        NOTIFY_SMS_URL=f"{provider.url}/esms/json",
        NOTIFY_SMS_BODY=body,
        NOTIFY_SMS_BRANDNAME="UBND-VINHLOC",
        NOTIFY_SMS_SUCCESS_FIELD="CodeResult",
        NOTIFY_SMS_SUCCESS_VALUES="100",
        NOTIFY_SMS_ID_FIELD="SMSID",
        NOTIFY_SMS_RATE="0",
    )
    return provider


@pytest.fixture
def zalo(provider, notify_env):
    notify_env(
        NOTIFY_ZALO_APP_ID=ZALO_APP_ID,
        NOTIFY_ZALO_SECRET_KEY=ZALO_SECRET,
        NOTIFY_ZALO_ACCESS_TOKEN="access-0-expired",
        NOTIFY_ZALO_REFRESH_TOKEN="refresh-1",
        NOTIFY_ZALO_OA_URL=f"{provider.url}/v3.0/oa/message/cs",
        NOTIFY_ZALO_ZNS_URL=f"{provider.url}/message/template",
        NOTIFY_ZALO_OAUTH_URL=f"{provider.url}/v4/oa/access_token",
        NOTIFY_ZALO_RATE="0",
    )
    return provider
