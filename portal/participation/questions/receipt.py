"""The PDF receipt of a question (phiếu tiếp nhận câu hỏi, phản ánh), in the portal's font."""

import io

from django.utils import timezone
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from portal.core.display import place_and_date
from portal.core.pdf import FONT, FONT_BOLD, nfc, qr_image, register_fonts, user_paragraph
from portal.core.sites import place_name

_p = user_paragraph


def render_receipt(question, organisation: str, lookup_url: str) -> bytes:
    register_fonts()
    normal = ParagraphStyle("n", fontName=FONT, fontSize=11, leading=15)
    small = ParagraphStyle("s", parent=normal, fontSize=9, leading=12)
    bold_c = ParagraphStyle("bc", parent=normal, fontName=FONT_BOLD, alignment=TA_CENTER)
    centre = ParagraphStyle("c", parent=normal, alignment=TA_CENTER)
    title = ParagraphStyle("t", parent=bold_c, fontSize=14, leading=19, spaceBefore=6)

    received = timezone.localtime(question.submitted_at)
    header = Table(
        [
            [_p(organisation.upper(), bold_c), _p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold_c)],
            [_p(f"Mã tra cứu: {question.code}", centre), _p("Độc lập - Tự do - Hạnh phúc", bold_c)],
            [
                _p("", centre),
                _p(place_and_date(place_name(question.site), question.submitted_at), centre),
            ],
        ],
        colWidths=[80 * mm, 95 * mm],
    )
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    kind = "CÂU HỎI" if question.kind == "question" else "PHẢN ÁNH, KIẾN NGHỊ"
    story = [
        header,
        Spacer(1, 6 * mm),
        _p(f"PHIẾU TIẾP NHẬN {kind}", title),
        Spacer(1, 4 * mm),
        _p(f"{organisation} đã tiếp nhận {kind.lower()} của: {question.asker_name}", normal),
        _p(f"Số điện thoại: {question.asker_phone}", normal),
        _p(f"Thư điện tử: {question.asker_email or '—'}", normal),
        _p(f"Lĩnh vực: {question.area.name if question.area_id else 'Khác'}", normal),
        _p(f"Đơn vị liên quan: {question.unit.display_name if question.unit_id else '—'}", normal),
        _p(f"Tiêu đề: {question.title}", normal),
        Spacer(1, 2 * mm),
        _p("Nội dung:", ParagraphStyle("h", parent=normal, fontName=FONT_BOLD)),
        _p(question.content, small),
        Spacer(1, 3 * mm),
        _p(f"Tệp đính kèm: {question.files.count()}", normal),
        _p(
            f"Thời gian tiếp nhận: {received:%H} giờ {received:%M} phút, ngày {received:%d/%m/%Y}",
            normal,
        ),
        _p(
            f"Thời hạn trả lời dự kiến: ngày {question.due_date:%d/%m/%Y}"
            if question.due_date
            else "",
            normal,
        ),
        _p(
            "Theo dõi tình trạng và đọc câu trả lời bằng mã tra cứu và số điện thoại đã khai "
            "tại mục Hỏi đáp của cổng thông tin.",
            normal,
        ),
        Spacer(1, 4 * mm),
    ]
    story.append(
        Table(
            [[qr_image(lookup_url), _p("Quét mã để tra cứu", small)]],
            colWidths=[35 * mm, 140 * mm],
        )
    )
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=nfc(f"Phiếu tiếp nhận {question.code}"),
        author=nfc(organisation),
    )
    doc.build(story)
    return out.getvalue()
