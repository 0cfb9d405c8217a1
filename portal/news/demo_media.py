"""Demo media drawn on the spot (no downloads): illustrations, app icons and screenshots with
Pillow, directive PDFs with reportlab, a short radio jingle as WAV. Text is NFC (portal.core.pdf).
"""

import io
import math
import struct
import textwrap
import wave

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from portal.core.pdf import FONT, FONT_BOLD, font_path, nfc, register_fonts


def _font(size, bold=False):
    return ImageFont.truetype(font_path(bold), size)


def _wrap(draw, text, font, width):
    words, lines, line = nfc(text).split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= width:
            line = trial
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return [x for x in lines if x]


def illustration(title, subtitle, colour=(155, 28, 28), size=(1200, 675)) -> bytes:
    """A lead image: coloured field, a QR-like motif, the headline in large type."""
    img = PILImage.new("RGB", size, colour)
    draw = ImageDraw.Draw(img)
    w, h = size
    for i in range(12):  # soft diagonal bands
        shade = tuple(min(255, c + 10 + i * 3) for c in colour)
        draw.polygon(
            [(i * 140, h), (i * 140 + 70, h), (i * 140 + 420, 0), (i * 140 + 350, 0)], fill=shade
        )
    # A QR-like block on the right: finder patterns and a deterministic pattern.
    box, cell = int(h * 0.55), int(h * 0.55) // 21
    x0, y0 = w - box - 60, (h - box) // 2
    draw.rectangle([x0 - 16, y0 - 16, x0 + box + 16, y0 + box + 16], fill="white")
    seed = sum(map(ord, title))
    for r in range(21):
        for c in range(21):
            finder = (r < 7 and c < 7) or (r < 7 and c > 13) or (r > 13 and c < 7)
            on = finder and (r % 6 == 0 or c % 6 == 0 or (2 <= r % 14 <= 4 and 2 <= c % 14 <= 4))
            if finder and not on and (r in (0, 6, 14, 20) or c in (0, 6, 14, 20)):
                on = True
            if not finder:
                on = (r * 7 + c * 13 + seed) % 5 < 2
            if on:
                draw.rectangle(
                    [
                        x0 + c * cell,
                        y0 + r * cell,
                        x0 + (c + 1) * cell - 1,
                        y0 + (r + 1) * cell - 1,
                    ],
                    fill=(20, 20, 20),
                )
    text_width = x0 - 120
    y = int(h * 0.2)
    for line in _wrap(draw, title, _font(64, True), text_width)[:4]:
        draw.text((60, y), line, font=_font(64, True), fill="white")
        y += 80
    y += 20
    for line in _wrap(draw, subtitle, _font(34), text_width)[:3]:
        draw.text((60, y), line, font=_font(34), fill=(255, 236, 180))
        y += 46
    out = io.BytesIO()
    img.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue()


def app_icon(label, colour) -> bytes:
    img = PILImage.new("RGB", (256, 256), colour)
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle([24, 24, 232, 232], radius=48, outline="white", width=10)
    font = _font(72 if len(label) <= 3 else 48, True)
    width = draw.textlength(nfc(label), font=font)
    draw.text(((256 - width) / 2, 128 - font.size * 0.65), nfc(label), font=font, fill="white")
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


def screenshot(app, platform, step_no, caption, colour) -> bytes:
    """A phone screen sketch: status bar, the app's header, the step's instruction."""
    img = PILImage.new("RGB", (360, 720), (246, 244, 240))
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0, 360, 28], fill=(30, 30, 30))
    draw.text((12, 5), "9:41", font=_font(16), fill="white")
    draw.text((280, 5), "4G ▮▮▮", font=_font(14), fill="white")
    draw.rectangle([0, 28, 360, 100], fill=colour)
    draw.text((18, 46), nfc(app), font=_font(28, True), fill="white")
    draw.text(
        (18, 112), nfc(f"{platform} · Bước {step_no}"), font=_font(18, True), fill=(77, 86, 97)
    )
    y = 150
    for line in _wrap(draw, caption, _font(24), 320)[:7]:
        draw.text((20, y), line, font=_font(24), fill=(31, 35, 40))
        y += 34
    draw.rounded_rectangle([40, 560, 320, 624], radius=14, fill=colour)
    label = nfc("Tiếp tục" if step_no < 3 else "Hoàn tất")
    width = draw.textlength(label, font=_font(24, True))
    draw.text(((360 - width) / 2, 576), label, font=_font(24, True), fill="white")
    out = io.BytesIO()
    img.convert("P", palette=PILImage.ADAPTIVE, colors=64).save(out, "PNG", optimize=True)
    return out.getvalue()


def jingle_wav(seconds=3.0, rate=8000) -> bytes:
    """A short three-note chime, as the commune radio plays before a bulletin."""
    frames = bytearray()
    notes = [523.25, 659.25, 783.99]
    per_note = int(rate * seconds / len(notes))
    for freq in notes:
        for i in range(per_note):
            envelope = math.exp(-3 * i / per_note)
            sample = int(12000 * envelope * math.sin(2 * math.pi * freq * i / rate))
            frames += struct.pack("<h", sample)
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(bytes(frames))
    return out.getvalue()


def directive_pdf(d) -> bytes:
    """A one- or two-page PDF laid out like an administrative document (Decree 30/2020)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(nfc(f"{d['type_label']} {d['reference']}"))
    width, height = A4
    left, right = 25 * mm, width - 20 * mm

    def header():
        pdf.setFont(FONT_BOLD, 11)
        pdf.drawCentredString(left + 40 * mm, height - 25 * mm, nfc(d["issuer"].upper())[:48])
        pdf.setFont(FONT, 11)
        pdf.drawCentredString(left + 40 * mm, height - 32 * mm, nfc(f"Số: {d['reference']}"))
        pdf.setFont(FONT_BOLD, 11)
        pdf.drawCentredString(
            right - 45 * mm, height - 25 * mm, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        )
        pdf.drawCentredString(right - 45 * mm, height - 31 * mm, nfc("Độc lập - Tự do - Hạnh phúc"))
        pdf.setFont(FONT_ITALIC_FALLBACK, 11)
        date = d["issue_date"]
        pdf.drawCentredString(
            right - 45 * mm,
            height - 40 * mm,
            nfc(f"Thanh Hóa, ngày {date.day:02d} tháng {date.month:02d} năm {date.year}"),
        )

    header()
    y = height - 55 * mm
    pdf.setFont(FONT_BOLD, 13)
    pdf.drawCentredString(width / 2, y, nfc(d["type_label"].upper()))
    y -= 7 * mm
    pdf.setFont(FONT, 11)
    for line in textwrap.wrap(nfc(d["summary"]), 90):
        pdf.drawCentredString(width / 2, y, line)
        y -= 5.5 * mm
    y -= 6 * mm
    pdf.setFont(FONT, 11)
    for paragraph in d["text"]:
        for line in textwrap.wrap(nfc(paragraph), 95) or [""]:
            if y < 30 * mm:
                pdf.showPage()
                pdf.setFont(FONT, 11)
                y = height - 25 * mm
            pdf.drawString(left, y, line)
            y -= 5.5 * mm
        y -= 2.5 * mm
    if d.get("signer"):
        y = max(y - 8 * mm, 40 * mm)
        pdf.setFont(FONT_BOLD, 11)
        pdf.drawCentredString(right - 35 * mm, y, nfc(d.get("signer_title", "").upper()))
        pdf.drawCentredString(right - 35 * mm, y - 25 * mm, nfc(d["signer"]))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


FONT_ITALIC_FALLBACK = "BeVietnamPro-Italic"


def get_or_create_image(title, data: bytes, filename: str, collection=None):
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(title=title, **({"collection": collection} if collection else {}))
        image.file = ImageFile(io.BytesIO(data), name=filename)
        image.save()
    return image


def get_or_create_document(title, data: bytes, filename: str, collection=None):
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        document = Document(title=title, **({"collection": collection} if collection else {}))
        document.file.save(filename, ContentFile(data), save=False)
        document.file_size = len(data)  # as the admin's upload records it: pages show the size
        document.save()
    return document
