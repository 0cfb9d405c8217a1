"""The PDF receipt (phiếu tiếp nhận hồ sơ và hẹn trả kết quả), drawn with the portal's font."""

import io

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from portal.core.display import place_and_date
from portal.core.pdf import FONT, FONT_BOLD, nfc, qr_image, register_fonts, user_paragraph
from portal.core.sites import place_name

from .schema import answer_rows

GREY = colors.grey


_p = user_paragraph


def render_receipt(dossier, organisation: str, lookup_url: str) -> bytes:
    register_fonts()
    normal = ParagraphStyle("n", fontName=FONT, fontSize=10.5, leading=14)
    small = ParagraphStyle("s", parent=normal, fontSize=9, leading=12)
    bold_c = ParagraphStyle("bc", parent=normal, fontName=FONT_BOLD, alignment=TA_CENTER)
    centre = ParagraphStyle("c", parent=normal, alignment=TA_CENTER)
    title = ParagraphStyle("t", parent=bold_c, fontSize=14, leading=19, spaceBefore=6)

    received = timezone.localtime(dossier.submitted_at)
    header = Table(
        [
            [_p(organisation.upper(), bold_c), _p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold_c)],
            [
                _p("BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", bold_c),
                _p("Độc lập - Tự do - Hạnh phúc", bold_c),
            ],
            [
                _p(f"Mã hồ sơ: {dossier.code}", centre),
                _p(place_and_date(place_name(dossier.site), dossier.submitted_at), centre),
            ],
        ],
        colWidths=[80 * mm, 95 * mm],
    )
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))

    story = [
        header,
        Spacer(1, 6 * mm),
        _p("PHIẾU TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", title),
        Spacer(1, 4 * mm),
    ]
    lines = [
        f"{organisation} tiếp nhận hồ sơ của: {dossier.applicant_name}",
        *(
            [f"Cơ quan, tổ chức: {dossier.applicant_organisation}"]
            if dossier.applicant_organisation
            else []
        ),
        f"Địa chỉ: {dossier.applicant_address or '—'}",
        f"Số điện thoại: {dossier.applicant_phone or '—'}",
        f"Thư điện tử: {dossier.applicant_email or '—'}",
        f"Nội dung yêu cầu giải quyết: {dossier.service_title}",
    ]
    story += [_p(line, normal) for line in lines]
    story.append(Spacer(1, 3 * mm))
    story.append(_p("Thông tin hồ sơ:", ParagraphStyle("h", parent=normal, fontName=FONT_BOLD)))
    rows = []
    for _step, items in answer_rows(dossier.schema, dossier.answers):
        for field, value in items:
            rows.append([_p(field["label"], small), _p(value, small)])
    if rows:
        # An answer may be taller than a page (a long list typed one item a line): its row is
        # split across pages, each part closed by a rule.
        table = Table(rows, colWidths=[60 * mm, 115 * mm], splitInRow=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("LINEBELOW", (0, "inrowsplitstart"), (-1, "inrowsplitstart"), 0.4, GREY),
                    ("LINEABOVE", (0, "inrowsplitend"), (-1, "inrowsplitend"), 0.4, GREY),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    attachments = [f for f in dossier.files.all() if f.kind == "attachment" and not f.replaced]
    story.append(Spacer(1, 3 * mm))
    story.append(_p(f"Thành phần hồ sơ nộp trực tuyến: {len(attachments)} tệp đính kèm", normal))
    for item in attachments:
        story.append(_p(f"– {item.original_name}", small))
    story.append(Spacer(1, 3 * mm))
    due = dossier.due_date
    story += [
        _p("Số lượng hồ sơ: 01 (bộ)", normal),
        _p(
            f"Thời gian nhận hồ sơ: {received:%H} giờ {received:%M} phút, ngày {received:%d/%m/%Y}",
            normal,
        ),
        _p(f"Thời gian trả kết quả giải quyết hồ sơ: ngày {due:%d/%m/%Y}" if due else "", normal),
        _p(
            "Nhận kết quả tại Bộ phận tiếp nhận và trả kết quả "
            "hoặc theo dõi trực tuyến bằng mã hồ sơ.",
            normal,
        ),
        Spacer(1, 4 * mm),
    ]
    signature = Table(
        [
            [qr_image(lookup_url), _p("NGƯỜI TIẾP NHẬN HỒ SƠ", bold_c)],
            [
                _p("Quét mã để tra cứu hồ sơ", small),
                _p("(Hệ thống dịch vụ công trực tuyến)", centre),
            ],
        ],
        colWidths=[60 * mm, 115 * mm],
    )
    story.append(signature)

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=nfc(f"Phiếu tiếp nhận {dossier.code}"),
        author=nfc(organisation),
    )
    doc.build(story)
    return out.getvalue()
