"""Posters (áp phích) in A4 and A5, as PDF and PNG, from one layout; paper forms; zips of posters.

The layout is computed once, in millimetres on an A4 page, as a list of drawing operations; the PDF
(reportlab) and PNG (Pillow) renderers draw the same operations with the same font, scaled to the
paper size. Text is NFC-normalised before it is measured or drawn.
"""

import io
import zipfile
from dataclasses import dataclass
from functools import lru_cache

import segno
from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from portal.core.pdf import FONT, FONT_BOLD, font_path, nfc, register_fonts

PAPER_MM = {"A4": (210.0, 297.0), "A5": (148.0, 210.0)}
RED = (155, 28, 28)
INK = (31, 35, 40)
MUTED = (77, 86, 97)
WHITE = (255, 255, 255)
PNG_DPI = {"A4": 150, "A5": 200}  # both about 1240 px wide: sharp enough to print, light to send

INSTRUCTIONS = "Quét mã QR bằng camera điện thoại để khai báo y tế và ghi nhận ra/vào"


@dataclass
class Text:
    x: float
    y: float  # baseline, mm from the top
    size: float  # points on A4
    text: str
    bold: bool = False
    align: str = "center"  # left | center
    color: tuple = INK


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float
    color: tuple


@dataclass
class QR:
    x: float
    y: float
    size: float
    matrix: tuple


def qr_matrix(data: str):
    """The QR's modules with a 4-module quiet zone; error level M survives a smudged poster."""
    qr = segno.make(data, error="m", micro=False, boost_error=False)
    return tuple(tuple(bool(v) for v in row) for row in qr.matrix_iter(scale=1, border=4))


def _wrap(text: str, size: float, width_mm: float, bold=False, max_lines=3) -> list[str]:
    register_fonts()
    font = FONT_BOLD if bold else FONT
    limit = width_mm * mm
    words = nfc(text).split()
    lines, current = [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if stringWidth(candidate, font, size) <= limit or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(" ,.") + "…"
    return lines


def _host(url: str) -> str:
    return url.split("://", 1)[-1].rstrip("/")


def poster_context(checkpoint, portal_settings=None):
    """What a poster prints, resolved once (bulk exports reuse the settings)."""
    commune = checkpoint.commune
    district = commune.parent if commune.parent and commune.parent.level == "district" else None
    hotline = portal_settings.primary_hotline if portal_settings else None
    return {
        "authority": f"UBND {district.name_with_type}" if district else "UBND",
        "commune": commune.name_with_type,
        "name": checkpoint.name,
        "address": checkpoint.address,
        "url": checkpoint.checkin_url,
        "host": _host(checkpoint.site_base_url),
        "short_code": checkpoint.short_code_display,
        "issued": checkpoint.code_issued_on.strftime("%d/%m/%Y"),
        "verification": checkpoint.verification_code,
        "hotline": f"{hotline['label']}: {hotline['number']}" if hotline else "",
        "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS,
    }


def poster_layout(ctx) -> list:
    """The poster on an A4 page, in millimetres."""
    ops = [Rect(0, 0, 210, 34, RED)]
    ops.append(Text(105, 13, 15, ctx["authority"].upper(), bold=True, color=WHITE))
    ops.append(Text(105, 23, 14, ctx["commune"].upper(), color=WHITE))
    ops.append(Text(105, 50, 30, "ĐIỂM KIỂM DỊCH", bold=True, color=RED))
    y = 63
    for line in _wrap(ctx["name"], 22, 186, bold=True, max_lines=2):
        ops.append(Text(105, y, 22, line, bold=True))
        y += 9.5
    for line in _wrap(ctx["address"], 13, 186, max_lines=2):
        ops.append(Text(105, y, 13, line, color=MUTED))
        y += 6
    qr_size = 128.0
    qr_top = max(y + 1, 80.0)
    ops.append(QR((210 - qr_size) / 2, qr_top, qr_size, qr_matrix(ctx["url"])))
    y = qr_top + qr_size + 9
    for line in _wrap(INSTRUCTIONS, 16, 180, bold=True, max_lines=2):
        ops.append(Text(105, y, 16, line, bold=True))
        y += 7.5
    y += 2
    ops.append(
        Text(
            105,
            y,
            12,
            f"Không quét được? Vào {ctx['host']}/quet-ma/ và nhập mã:",
            color=MUTED,
        )
    )
    ops.append(Text(105, y + 13, 30, ctx["short_code"], bold=True))
    y += 22
    if ctx["hotline"]:
        for line in _wrap(ctx["hotline"], 13, 186, bold=True, max_lines=2):
            ops.append(Text(105, y, 13, line, bold=True, color=RED))
            y += 6
    ops.append(Rect(12, 272, 186, 0.4, MUTED))
    ops.append(
        Text(
            105,
            278,
            9,
            f"Cấp ngày {ctx['issued']} · Mã xác thực: {ctx['verification'][:4]}-"
            f"{ctx['verification'][4:]} · Kiểm tra áp phích thật tại "
            f"{ctx['host']}/kiem-tra-ap-phich/",
            color=MUTED,
        )
    )
    ops.append(
        Text(
            105,
            283,
            9,
            "Thông tin khai báo chỉ dùng cho phòng, chống dịch và được tự động xoá sau "
            f"{ctx['retention_days']} ngày.",
            color=MUTED,
        )
    )
    return ops


# --- Renderers ---------------------------------------------------------------------------
def _runs(row):
    """Consecutive dark modules of a row as (start, length): far fewer rectangles to draw."""
    start = None
    for i, dark in enumerate((*row, False)):
        if dark and start is None:
            start = i
        elif not dark and start is not None:
            yield start, i - start
            start = None


def draw_pdf_ops(c, ops, page_w_mm, page_h_mm, scale):
    register_fonts()
    for op in ops:
        if isinstance(op, Rect):
            c.setFillColorRGB(*(v / 255 for v in op.color))
            y = page_h_mm - (op.y + op.h) * scale
            c.rect(op.x * scale * mm, y * mm, op.w * scale * mm, op.h * scale * mm, 0, 1)
        elif isinstance(op, Text):
            c.setFillColorRGB(*(v / 255 for v in op.color))
            c.setFont(FONT_BOLD if op.bold else FONT, op.size * scale)
            x, y = op.x * scale * mm, (page_h_mm - op.y * scale) * mm
            if op.align == "center":
                c.drawCentredString(x, y, nfc(op.text))
            else:
                c.drawString(x, y, nfc(op.text))
        elif isinstance(op, QR):
            n = len(op.matrix)
            module = op.size * scale / n
            c.setFillColorRGB(0, 0, 0)
            for r, row in enumerate(op.matrix):
                y = page_h_mm - (op.y * scale + (r + 1) * module)
                for start, length in _runs(row):
                    x = op.x * scale + start * module
                    c.rect(x * mm, y * mm, length * module * mm, module * mm, 0, 1)


def render_pdf(ops_list, size="A4") -> bytes:
    """One page per layout in ``ops_list``."""
    w, h = PAPER_MM[size]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4 if size == "A4" else A5, pageCompression=1)
    c.setTitle("Áp phích điểm kiểm dịch")
    for ops in ops_list:
        draw_pdf_ops(c, ops, w, h, w / 210.0)
        c.showPage()
    c.save()
    return buf.getvalue()


@lru_cache(maxsize=64)
def _pil_font(bold: bool, px: int):
    return ImageFont.truetype(font_path(bold), px)


def render_png(ops, size="A4") -> bytes:
    w, h = PAPER_MM[size]
    dpi = PNG_DPI[size]
    scale = w / 210.0
    px = dpi / 25.4  # pixels per mm
    image = Image.new("RGB", (round(w * px), round(h * px)), WHITE)
    draw = ImageDraw.Draw(image)
    for op in ops:
        if isinstance(op, Rect):
            x0, y0 = op.x * scale * px, op.y * scale * px
            x1, y1 = x0 + op.w * scale * px, y0 + max(op.h * scale * px, 1)
            draw.rectangle([x0, y0, x1, y1], fill=op.color)
        elif isinstance(op, Text):
            font = _pil_font(op.bold, round(op.size * scale * dpi / 72))
            anchor = "ms" if op.align == "center" else "ls"
            draw.text(
                (op.x * scale * px, op.y * scale * px),
                nfc(op.text),
                font=font,
                fill=op.color,
                anchor=anchor,
            )
        elif isinstance(op, QR):
            n = len(op.matrix)
            # Whole pixels per module keep every module the same width: crisp for cameras.
            module = max(int(op.size * scale * px / n), 1)
            left = round(op.x * scale * px + (op.size * scale * px - module * n) / 2)
            top = round(op.y * scale * px + (op.size * scale * px - module * n) / 2)
            for r, row in enumerate(op.matrix):
                for start, length in _runs(row):
                    draw.rectangle(
                        [
                            left + start * module,
                            top + r * module,
                            left + (start + length) * module - 1,
                            top + (r + 1) * module - 1,
                        ],
                        fill=(0, 0, 0),
                    )
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def portal_settings_for_default_site():
    from portal.core.sites import default_site, settings_for_site

    site = default_site()
    return settings_for_site(site) if site else None


def portal_settings_for_checkpoint(checkpoint, memo=None):
    """The settings whose hotline the poster prints: those of the site of the checkpoint's
    commune, or the parent site's while the commune's site lists no hotline. ``memo`` keeps
    them per commune across a bulk export."""
    from portal.core.sites import settings_for_site, site_for_unit

    memo = {} if memo is None else memo
    if checkpoint.commune_id not in memo:
        site = site_for_unit(checkpoint.commune)
        found = settings_for_site(site) if site else None
        if found is None or found.primary_hotline is None:
            found = portal_settings_for_default_site() or found
        memo[checkpoint.commune_id] = found
    return memo[checkpoint.commune_id]


def poster_pdf(checkpoint, size="A4", portal_settings=None) -> bytes:
    ps = portal_settings or portal_settings_for_checkpoint(checkpoint)
    return render_pdf([poster_layout(poster_context(checkpoint, ps))], size)


def poster_png(checkpoint, size="A4", portal_settings=None) -> bytes:
    ps = portal_settings or portal_settings_for_checkpoint(checkpoint)
    return render_png(poster_layout(poster_context(checkpoint, ps)), size)


def poster_filename(checkpoint, size, ext) -> str:
    slug = slugify(nfc(checkpoint.name).replace("đ", "d").replace("Đ", "D"))[:60] or "diem"
    return f"{checkpoint.commune.code}-{slug}-{checkpoint.short_code}-{size}.{ext}"


def write_poster_zip(checkpoints, fileobj, size="A4", file_format="pdf", progress=None) -> int:
    """Write one poster per checkpoint into a zip; ``progress(done)`` after each. Returns count."""
    settings_by_commune = {}
    done = 0
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for checkpoint in checkpoints:
            ps = portal_settings_for_checkpoint(checkpoint, settings_by_commune)
            ops = poster_layout(poster_context(checkpoint, ps))
            if file_format in ("pdf", "both"):
                zf.writestr(poster_filename(checkpoint, size, "pdf"), render_pdf([ops], size))
            if file_format in ("png", "both"):
                # PNG is already compressed: storing it saves time for nothing lost.
                zf.writestr(
                    zipfile.ZipInfo(poster_filename(checkpoint, size, "png")),
                    render_png(ops, size),
                    compress_type=zipfile.ZIP_STORED,
                )
            done += 1
            if progress:
                progress(done)
    return done


# --- Paper fallback ------------------------------------------------------------------------------
def _draw_qr_at(c, url, x_mm, top_mm, size_mm, page_h_mm):
    matrix = qr_matrix(url)
    n = len(matrix)
    module = size_mm / n
    c.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(matrix):
        y = page_h_mm - (top_mm + (r + 1) * module)
        for start, length in _runs(row):
            c.rect((x_mm + start * module) * mm, y * mm, length * module * mm, module * mm, 0, 1)


def declaration_form_pdf(checkpoint) -> bytes:
    """The paper health declaration (tờ khai y tế) for visitors without a smartphone."""
    register_fonts()
    w, h = PAPER_MM["A4"]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle(nfc(f"Tờ khai y tế – {checkpoint.name}"))
    c.setFont(FONT_BOLD, 11)
    c.drawString(15 * mm, (h - 15) * mm, nfc(checkpoint.commune.name_with_type.upper()))
    c.setFont(FONT, 10)
    c.drawString(15 * mm, (h - 21) * mm, nfc(f"Điểm kiểm dịch: {checkpoint.name}"))
    c.drawString(15 * mm, (h - 26) * mm, nfc(checkpoint.address)[:90])
    _draw_qr_at(c, checkpoint.checkin_url, w - 45, 8, 32, h)
    c.setFont(FONT, 8)
    c.drawCentredString((w - 29) * mm, (h - 43) * mm, nfc(f"Mã: {checkpoint.short_code_display}"))
    c.setFont(FONT_BOLD, 18)
    c.drawCentredString(w / 2 * mm, (h - 55) * mm, nfc("TỜ KHAI Y TẾ"))
    c.setFont(FONT, 10)
    c.drawCentredString(
        w / 2 * mm,
        (h - 61) * mm,
        nfc("Dành cho người không dùng điện thoại thông minh. Xin viết chữ in hoa, rõ ràng."),
    )
    y = 75
    fields = [
        "Họ và tên",
        "Số điện thoại",
        "Số CCCD/CMND",
        "Địa chỉ nơi ở",
        "Ngày, giờ đến",
    ]
    c.setFont(FONT, 12)
    for label in fields:
        c.drawString(15 * mm, (h - y) * mm, nfc(f"{label}:"))
        c.setDash(1, 2)
        c.line(55 * mm, (h - y - 1) * mm, (w - 15) * mm, (h - y - 1) * mm)
        c.setDash()
        y += 11
    y += 4
    questions = [
        "Trong 14 ngày qua, anh/chị có sốt, ho, khó thở, đau họng, mệt mỏi, mất vị giác hoặc "
        "khứu giác không?",
        "Trong 14 ngày qua, anh/chị có tiếp xúc với người bệnh hoặc nghi mắc COVID-19 không?",
        "Trong 14 ngày qua, anh/chị có đi về từ vùng có dịch không?",
    ]
    for number, question in enumerate(questions, 1):
        lines = _wrap(f"{number}. {question}", 12, 140, max_lines=3)
        for i, line in enumerate(lines):
            c.drawString(15 * mm, (h - y - i * 6) * mm, line)
        c.rect((w - 45) * mm, (h - y - 1) * mm, 4 * mm, 4 * mm)
        c.drawString((w - 40) * mm, (h - y) * mm, "Có")
        c.rect((w - 28) * mm, (h - y - 1) * mm, 4 * mm, 4 * mm)
        c.drawString((w - 23) * mm, (h - y) * mm, "Không")
        y += 6 * len(lines) + 6
    y += 4
    c.setFont(FONT, 10)
    consent = (
        f"Tôi đồng ý để {checkpoint.commune.name_with_type} và cơ quan y tế dùng thông tin trên "
        "cho phòng, chống dịch; thông tin được nhập vào Cổng thông tin và tự động xoá sau "
        f"{settings.PERSONAL_DATA_RETENTION_DAYS} ngày. Tôi cam kết thông tin khai là đúng sự thật."
    )
    for line in _wrap(consent, 10, 180, max_lines=5):
        c.drawString(15 * mm, (h - y) * mm, line)
        y += 5
    y += 10
    c.setFont(FONT_BOLD, 11)
    c.drawCentredString((w - 50) * mm, (h - y) * mm, nfc("Người khai ký, ghi rõ họ tên"))
    c.setFont(FONT, 8)
    c.drawString(
        15 * mm,
        12 * mm,
        nfc(f"Có điện thoại thông minh? Quét mã QR ở góc trên hoặc vào "
            f"{_host(checkpoint.site_base_url)}/quet-ma/ và nhập mã "
            f"{checkpoint.short_code_display}."),
    )  # fmt: skip
    c.showPage()
    c.save()
    return buf.getvalue()


LOG_ROWS = 20


def visitor_log_pdf(checkpoint, sheets: int = 1) -> bytes:
    """Numbered visitor log sheets (sổ theo dõi người ra/vào), landscape A4, with the QR."""
    register_fonts()
    page = landscape(A4)
    w, h = page[0] / mm, page[1] / mm
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=page)
    c.setTitle(nfc(f"Sổ theo dõi người ra vào – {checkpoint.name}"))
    columns = [
        ("STT", 12),
        ("Họ và tên", 62),
        ("Số điện thoại", 34),
        ("Số CCCD/CMND", 36),
        ("Giờ vào", 20),
        ("Giờ ra", 20),
        ("Triệu chứng (C/K)", 38),
        ("Ký tên", 45),
    ]
    for sheet in range(1, sheets + 1):
        c.setFont(FONT_BOLD, 14)
        c.drawString(12 * mm, (h - 14) * mm, nfc("SỔ THEO DÕI NGƯỜI RA, VÀO"))
        c.setFont(FONT, 10)
        c.drawString(
            12 * mm,
            (h - 20) * mm,
            nfc(f"{checkpoint.name} – {checkpoint.commune.name_with_type}"),
        )
        c.drawString(12 * mm, (h - 25) * mm, nfc(checkpoint.address)[:110])
        c.drawString(
            12 * mm,
            (h - 30) * mm,
            nfc(f"Ngày: ......../......../............      Tờ số: {sheet}      "
                f"Mã điểm: {checkpoint.short_code_display}"),
        )  # fmt: skip
        _draw_qr_at(c, checkpoint.checkin_url, w - 36, 5, 26, h)
        top = 36
        row_h = 7.6
        x = 12
        c.setFont(FONT_BOLD, 8.5)
        c.setLineWidth(0.5)
        for title, width in columns:
            c.rect(x * mm, (h - top - row_h) * mm, width * mm, row_h * mm)
            c.drawCentredString((x + width / 2) * mm, (h - top - 5) * mm, nfc(title))
            x += width
        c.setFont(FONT, 10)
        for row in range(1, LOG_ROWS + 1):
            x = 12
            y = top + row * row_h
            for index, (_title, width) in enumerate(columns):
                c.rect(x * mm, (h - y - row_h) * mm, width * mm, row_h * mm)
                if index == 0:
                    c.drawCentredString((x + width / 2) * mm, (h - y - 5.2) * mm, str(row))
                x += width
        c.setFont(FONT, 8)
        c.drawString(
            12 * mm,
            8 * mm,
            nfc("Cán bộ nhập sổ vào Cổng thông tin trong ngày; ghi “tờ số/dòng” khi nhập. "
                f"Sổ giấy được huỷ sau {settings.PERSONAL_DATA_RETENTION_DAYS} ngày."),
        )  # fmt: skip
        c.showPage()
    c.save()
    return buf.getvalue()


def now_stamp():
    return timezone.localtime().strftime("%Y%m%d-%H%M")
