"""The health declaration's personal QR code and retention (used by the checkpoints app too).

The QR carries a signed token around a random key: no personal data in clear, forged or edited
tokens are refused, and a token stops working once the declaration is purged.
"""

from datetime import datetime

from django.conf import settings
from django.core import signing

SALT = "portal.eservices.health-qr"
PREFIX = "YT1."


def _max_age_seconds() -> int:
    return int(settings.PERSONAL_DATA_RETENTION_DAYS) * 86400


def personal_qr_token(declaration) -> str:
    """A signed token for the declaration's personal QR code."""
    return PREFIX + signing.TimestampSigner(salt=SALT).sign(declaration.token_key.hex)


def declaration_from_token(token: str):
    """The declaration a token names, or None when tampered, expired or deleted."""
    from .models import HealthDeclaration

    token = (token or "").strip()
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    try:
        key = signing.TimestampSigner(salt=SALT).unsign(
            token[len(PREFIX) :], max_age=_max_age_seconds()
        )
    except signing.BadSignature:  # also SignatureExpired
        return None
    try:
        return HealthDeclaration.objects.filter(token_key=key).first()
    except (ValueError, TypeError):
        return None


def purge_expired_declarations(cutoff: datetime) -> int:
    """Delete the declarations made before ``cutoff``; returns how many."""
    from .models import HealthDeclaration

    deleted, _ = HealthDeclaration.objects.filter(created_at__lt=cutoff).delete()
    return deleted
