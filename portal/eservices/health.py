"""The health declaration's personal QR code and retention (used by the checkpoints app too).

The QR carries a signed token around a random key: no personal data in clear, forged or edited
tokens are refused, and a token stops working once the declaration is purged.
"""

from datetime import datetime, timedelta

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


def valid_until(declaration) -> datetime:
    """Until when the declaration's QR code works: it is deleted after the retention period."""
    return declaration.created_at + timedelta(days=int(settings.PERSONAL_DATA_RETENTION_DAYS))


def qr_png(token: str, scale: int = 8) -> bytes:
    import io

    import segno

    buf = io.BytesIO()
    segno.make(token, error="m").save(buf, kind="png", scale=scale, border=3)
    return buf.getvalue()


def card_png(declaration, token: str, title: str) -> bytes:
    """A printable card: the title, the person's name, date declared, validity and the QR code."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    from portal.core.display import local_display
    from portal.core.pdf import font_path

    qr = Image.open(io.BytesIO(qr_png(token, scale=10))).convert("RGB")
    width = max(720, qr.width + 80)
    bold = ImageFont.truetype(font_path(bold=True), 40)
    regular = ImageFont.truetype(font_path(), 30)
    small = ImageFont.truetype(font_path(), 24)
    lines = [
        (title.upper(), small, "#1f4e79"),
        (declaration.full_name, bold, "#111111"),
        (f"Khai báo lúc: {local_display(declaration.created_at)}", regular, "#111111"),
        (f"Có giá trị đến: {local_display(valid_until(declaration))}", regular, "#111111"),
    ]
    height = 40 + sum(font.size + 22 for _t, font, _c in lines) + qr.height + 40
    card = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(card)
    draw.rectangle([4, 4, width - 5, height - 5], outline="#1f4e79", width=4)
    y = 40
    for text, font, colour in lines:
        while draw.textlength(text, font=font) > width - 80 and len(text) > 4:
            text = text[:-2].rstrip() + "…"
        draw.text(((width - draw.textlength(text, font=font)) / 2, y), text, font=font, fill=colour)
        y += font.size + 22
    card.paste(qr, ((width - qr.width) // 2, y))
    out = io.BytesIO()
    card.save(out, format="PNG", optimize=True)
    return out.getvalue()
