"""What every generated PDF shares: an embedded font with full Vietnamese coverage, NFC text.

reportlab draws Vietnamese correctly only from NFC text: decomposed accents collide or drift.
"""

from functools import cache
from pathlib import Path

import fontpkg_be_vietnam_pro
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

# Drawing code gets the one NFC rule from here with the fonts (posters, demo images).
from .text import nfc

FONT = "BeVietnamPro"
FONT_BOLD = "BeVietnamPro-Bold"
FONT_ITALIC = "BeVietnamPro-Italic"
_FILES = Path(fontpkg_be_vietnam_pro.__file__).parent / "files"


@cache
def register_fonts() -> str:
    """Register Be Vietnam Pro with reportlab (once per process); returns the regular name."""
    for name, filename in (
        (FONT, "BeVietnamPro-Regular.ttf"),
        (FONT_BOLD, "BeVietnamPro-Bold.ttf"),
        (FONT_ITALIC, "BeVietnamPro-Italic.ttf"),
        ("BeVietnamPro-BoldItalic", "BeVietnamPro-BoldItalic.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(_FILES / filename)))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT_ITALIC)
    addMapping(FONT, 1, 1, "BeVietnamPro-BoldItalic")
    return FONT


def font_path(bold: bool = False) -> str:
    """The TTF file, for Pillow when drawing PNGs."""
    return str(_FILES / ("BeVietnamPro-Bold.ttf" if bold else "BeVietnamPro-Regular.ttf"))


def user_paragraph(text, style):
    """A reportlab paragraph of text a person typed: NFC, line breaks kept, markup escaped so it
    prints exactly as typed (a "<b>" in a name is not bold, a "&" does not break the page)."""
    from xml.sax.saxutils import escape

    from reportlab.platypus import Paragraph

    lines = nfc(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Paragraph("<br/>".join(escape(line) for line in lines), style)


def qr_image(url: str, size_mm: float = 28):
    """A QR code of ``url`` as a reportlab image (receipts: scan to look up)."""
    import io

    import segno
    from reportlab.lib.units import mm
    from reportlab.platypus import Image

    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=4, border=2)
    buf.seek(0)
    return Image(buf, width=size_mm * mm, height=size_mm * mm)
