"""A visitor's details remembered on their own phone, only if they ask: one signed cookie.

The check-in page reads it to offer a one-tap check-in; the health declaration may write it when
the person asks to be remembered on this phone. Nothing of it is kept on the server.
"""

import json

from django.conf import settings
from django.core import signing

from portal.core import personal_numbers
from portal.core.masking import mask

COOKIE = "ckp_me"
SALT = "portal.checkpoints.remember"


def cookie_kwargs(request, max_age):
    return {
        "max_age": max_age,
        "httponly": True,
        "samesite": "Lax",
        "secure": request.is_secure(),
    }


def read(request):
    """``{"full_name", "phone", "masked_phone"}`` of the remembered visitor, or None."""
    try:
        data = request.get_signed_cookie(COOKIE, salt=SALT, default=None)
    except signing.BadSignature:
        return None
    if not data:
        return None
    try:
        name, phone = json.loads(data)
    except (ValueError, TypeError):
        return None
    if not name or personal_numbers.normalise_phone(phone) is None:
        return None
    return {"full_name": name, "phone": phone, "masked_phone": mask(phone)}


def remember(response, request, full_name, phone):
    """Keep the visitor's name and phone on this phone for CHECKPOINTS_REMEMBER_DAYS."""
    value = json.dumps([full_name, phone], ensure_ascii=True)
    days = getattr(settings, "CHECKPOINTS_REMEMBER_DAYS", 30)
    response.set_signed_cookie(COOKIE, value, salt=SALT, **cookie_kwargs(request, days * 86400))


def forget(response):
    response.delete_cookie(COOKIE)
