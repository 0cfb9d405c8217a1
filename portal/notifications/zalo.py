"""The Zalo Official Account's access token: read, and refreshed when Zalo says it has expired.

Zalo's OAuth (``POST /v4/oa/access_token`` with the ``secret_key`` header and the form fields
``app_id``, ``refresh_token``, ``grant_type=refresh_token``) answers a new access token (valid
about 25 hours) and a new refresh token (valid three months, usable once). Both are written to
``ZaloToken`` at once: a refresh token lost is a chain broken, until an operator sets a new one in
NOTIFY_ZALO_REFRESH_TOKEN.
"""

import datetime
from urllib.parse import urlencode

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import conf
from .conf import ZALO
from .models import ZaloToken
from .transport import ChannelOff, Retry, check_status, request


def _row(lock=False) -> ZaloToken:
    """The stored tokens, seeded from the environment (again when it holds a new refresh
    token)."""
    options = conf.channel(ZALO)
    rows = ZaloToken.objects.select_for_update() if lock else ZaloToken.objects
    row, _created = rows.get_or_create(app_id=options["APP_ID"])
    env_refresh = options.get("REFRESH_TOKEN", "")
    empty = not row.refresh_token and not row.access_token
    if empty or (env_refresh and env_refresh != row.env_refresh_token):
        row.access_token = options.get("ACCESS_TOKEN", "")
        row.refresh_token = env_refresh
        row.env_refresh_token = env_refresh
        row.expires_at = None
        row.save()
    return row


def access_token() -> str:
    """The access token to use now (refreshed first when none is stored)."""
    with transaction.atomic():
        token = _row().access_token
    return token or refresh(used="")


def refresh(used: str) -> str:
    """A new access token in place of ``used``. Workers refresh one at a time (the row is
    locked); one that finds the token already replaced uses the new one."""
    options = conf.channel(ZALO)
    with transaction.atomic():
        row = _row(lock=True)
        if row.access_token and row.access_token != used:
            return row.access_token
        if not row.refresh_token:
            raise ChannelOff(
                _("The Zalo channel has no refresh token: set NOTIFY_ZALO_REFRESH_TOKEN.")
            )
        answer = request(
            "POST",
            options["OAUTH_URL"],
            {
                "secret_key": options["SECRET_KEY"],
                "Content-Type": "application/x-www-form-urlencoded",
            },
            urlencode(
                {
                    "app_id": options["APP_ID"],
                    "refresh_token": row.refresh_token,
                    "grant_type": "refresh_token",
                }
            ).encode(),
            conf.current()["HTTP_TIMEOUT"],
        )
        check_status(answer)
        body = answer.json() or {}
        if not body.get("access_token") or not body.get("refresh_token"):
            # A used or expired refresh token: tries go on (and give up at the cap) while an
            # operator sets a new one.
            raise Retry(
                _("Zalo refused to refresh the access token: %(body)s") % {"body": answer.excerpt()}
            )
        row.access_token = body["access_token"]
        row.refresh_token = body["refresh_token"]
        try:
            seconds = int(body.get("expires_in") or 0)
        except (TypeError, ValueError):
            seconds = 0
        row.expires_at = timezone.now() + datetime.timedelta(seconds=seconds) if seconds else None
        row.save()
        return row.access_token
