# ruff: noqa: E501 (demo content: long Vietnamese sentences)
"""Demo content: the procedure catalogue with real district and commune procedures, online forms,
the health declaration, and a commune's periodic report filed online with its receipt."""

import io
import json
import uuid
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Page

from .models import (
    Dossier,
    DossierEvent,
    ProcedureArea,
    ProcedureOffering,
    ServiceIndexPage,
    ServicePage,
    Status,
)

ORDER = 30
SEED_REPORT = Path(__file__).parent / "demo_data" / "bao-cao-ung-dung-cntt.txt"
DEMO_REPORT_KEY = uuid.UUID("5f1c2d7e-0000-4000-8000-000000000001")


def f(kind, key, label, required=True, help="", role="", condition=None, **options):
    value = {"key": key, "label": label, "help_text": help, "required": required, "role": role,
             "condition_field": (condition or ("", ""))[0], "condition_value": (condition or ("", ""))[1],
             **options}  # fmt: skip
    return {"type": kind, "value": value}


def step(key, title, fields, intro=""):
    return {"type": "step", "value": {"key": key, "title": title, "intro": intro, "condition_field": "",
                                      "condition_value": "", "fields": fields}}  # fmt: skip


def applicant_step(title="Người yêu cầu"):
    return step("nguoi-yeu-cau", title, [
        f("text", "ho_ten", "Họ, chữ đệm và tên", role="name", max_length=120),
        f("date", "ngay_sinh", "Ngày sinh", period="past", is_birth_date=True),
        f("choice", "gioi_tinh", "Giới tính", choices=["Nam", "Nữ"], is_sex=True),
        f("idnumber", "so_giay_to", "Số CCCD/CMND", role="id_number", allow_cmnd=True,
          help="12 số trên căn cước công dân, hoặc 9 số trên chứng minh nhân dân."),
        f("phone", "dien_thoai", "Số điện thoại di động", role="phone"),
        f("email", "email", "Thư điện tử", required=False, role="email",
          help="Để nhận phiếu tiếp nhận và thông báo về hồ sơ."),
        f("address", "noi_cu_tru", "Nơi cư trú", role="address"),
    ])  # fmt: skip


def upload(
    key, label, types=("pdf", "jpg", "png"), size=5, count=3, required=True, help="", condition=None
):
    return f("file", key, label, required=required, help=help, condition=condition,
             allowed_types=list(types), max_size_mb=size, max_count=count)  # fmt: skip


def methods(*items):
    return [{"type": "method", "value": {"channel": c, "processing_time": t, "fee": fee, "description": d}}
            for c, t, fee, d in items]  # fmt: skip


def components(*cases):
    """Dossier cases of (name, originals, copies, note[, form key]): a form key (FORMS) makes the
    document's form downloadable from the "Mẫu đơn, tờ khai" column."""
    return [{"type": "case", "value": {"case": case, "documents": [
        {"name": n, "originals": o, "copies": c, "template": form[0] if form else None,
         "note": note} for n, o, c, note, *form in docs]}}
        for case, docs in cases]  # fmt: skip


def with_form_documents(cases):
    """``components`` with each form key replaced by its document (made on first use)."""
    return [{**case, "value": {**case["value"], "documents": [
        {**d, "template": form_document(d["template"]) if d["template"] else None}
        for d in case["value"]["documents"]]}} for case in cases]  # fmt: skip


def fees(*items):
    """Fee amounts: (name, amount in đồng, per, channels, payer, exemptions, resolution)."""
    return [{"type": "fee", "value": {"name": n, "amount": a, "per": per, "channels": list(ch), "payer": payer,
                                      "exemptions": ex, "resolution": res}}
            for n, a, per, ch, payer, ex, res in items]  # fmt: skip


# The provincial resolution setting the fees (news.demo.LEGAL_DOCUMENTS has its page).
FEE_RESOLUTION = "176/2021/NQ-HĐND"
KINH_GUI_XA = "Kính gửi: Ủy ban nhân dân xã/thị trấn ........................................"
# The forms of the demo dossiers: key -> (document title, form heading, addressee, lines to fill).
FORMS = {
    "to-khai-khai-sinh": (
        "Mẫu tờ khai đăng ký khai sinh", "TỜ KHAI ĐĂNG KÝ KHAI SINH", KINH_GUI_XA,
        ["Họ, chữ đệm, tên người yêu cầu", "Nơi cư trú", "Giấy tờ tùy thân (số, nơi cấp, ngày cấp)",
         "Quan hệ với người được đăng ký khai sinh",
         "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:", "Họ, chữ đệm, tên",
         "Ngày, tháng, năm sinh", "Giới tính", "Dân tộc", "Quốc tịch", "Nơi sinh", "Quê quán",
         "Họ, chữ đệm, tên người mẹ", "Họ, chữ đệm, tên người cha"]),
    "to-khai-tinh-trang-hon-nhan": (
        "Mẫu tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
        "TỜ KHAI CẤP GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", KINH_GUI_XA,
        ["Họ, chữ đệm, tên người yêu cầu", "Nơi cư trú", "Giấy tờ tùy thân",
         "Quan hệ với người được cấp Giấy xác nhận", "Đề nghị cấp Giấy xác nhận cho:",
         "Họ, chữ đệm, tên", "Ngày, tháng, năm sinh", "Giới tính", "Dân tộc", "Quốc tịch",
         "Nơi cư trú", "Thời gian cư trú tại nơi đề nghị xác nhận",
         "Tình trạng hôn nhân", "Mục đích sử dụng Giấy xác nhận"]),
    "giay-de-nghi-ho-kinh-doanh": (
        "Mẫu giấy đề nghị đăng ký hộ kinh doanh", "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH",
        "Kính gửi: Phòng Tài chính - Kế hoạch huyện Vĩnh Lộc",
        ["Họ, chữ đệm và tên chủ hộ", "Ngày sinh", "Số định danh cá nhân", "Nơi cư trú",
         "Điện thoại, thư điện tử", "Tên hộ kinh doanh", "Địa chỉ trụ sở hộ kinh doanh",
         "Ngành, nghề kinh doanh", "Vốn kinh doanh (đồng)", "Số lượng lao động"]),
    "don-giay-phep-xay-dung": (
        "Mẫu đơn đề nghị cấp giấy phép xây dựng nhà ở riêng lẻ (Mẫu số 01)",
        "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG", "Kính gửi: Ủy ban nhân dân huyện Vĩnh Lộc",
        ["Tên chủ đầu tư (chủ hộ)", "Người đại diện, chức vụ", "Địa chỉ liên hệ", "Số điện thoại",
         "Địa điểm xây dựng: lô đất số, diện tích (m²)", "Tại số nhà, đường, phường (xã)",
         "Loại công trình, cấp công trình", "Diện tích xây dựng tầng 1 (m²)",
         "Tổng diện tích sàn (m²)", "Chiều cao công trình (m), số tầng",
         "Dự kiến thời gian hoàn thành công trình"]),
}  # fmt: skip


def _form_pdf(heading, addressee, lines) -> bytes:
    """A blank form to print and fill in by hand, with the national heading."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    from portal.core.pdf import FONT, FONT_BOLD, nfc, register_fonts

    register_fonts()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(nfc(heading.capitalize()))
    width, height = A4
    left, y = 22 * mm, height - 22 * mm
    pdf.setFont(FONT_BOLD, 12)
    pdf.drawCentredString(width / 2, y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    pdf.drawCentredString(width / 2, y - 6 * mm, nfc("Độc lập - Tự do - Hạnh phúc"))
    pdf.setFont(FONT_BOLD, 14)
    pdf.drawCentredString(width / 2, y - 20 * mm, nfc(heading))
    pdf.setFont(FONT, 11)
    pdf.drawCentredString(width / 2, y - 28 * mm, nfc(addressee))
    y -= 42 * mm
    for line in lines:
        text = nfc(line) if line.endswith(":") else nfc(f"{line}: ")
        pdf.drawString(left, y, text)
        if not line.endswith(":"):
            dots_from = left + pdf.stringWidth(text, FONT, 11)
            pdf.setDash(1, 2)
            pdf.line(dots_from, y - 1, width - 22 * mm, y - 1)
            pdf.setDash()
        y -= 9 * mm
    pdf.drawString(
        left, y - 4 * mm, nfc("Tôi cam đoan những nội dung khai trên đây là đúng sự thật.")
    )
    pdf.drawCentredString(
        width - 55 * mm, y - 16 * mm, nfc("Làm tại: ........., ngày .... tháng .... năm ......")
    )
    pdf.setFont(FONT_BOLD, 11)
    pdf.drawCentredString(width - 55 * mm, y - 24 * mm, nfc("NGƯỜI YÊU CẦU"))
    pdf.setFont(FONT, 10)
    pdf.drawCentredString(width - 55 * mm, y - 30 * mm, nfc("(Ký, ghi rõ họ, chữ đệm, tên)"))
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def form_document(key):
    """The demo form ``key`` as a Wagtail document (made once): its id for a DocumentChooserBlock."""
    from portal.news.demo_media import get_or_create_document

    title, heading, addressee, lines = FORMS[key]
    return get_or_create_document(title, _form_pdf(heading, addressee, lines), f"{key}.pdf").pk


def steps_(*items):
    return [{"type": "step", "value": {"title": t, "description": d}} for t, d in items]


def legal(*items):
    return [{"type": "document", "value": {"number": n, "title": t, "issuer": i, "issued": d, "page": None}}
            for n, t, i, d in items]  # fmt: skip


AGENCY_COMMUNE = "Ủy ban nhân dân xã, thị trấn thuộc huyện Vĩnh Lộc"
# The levels that perform each procedure (cấp thực hiện): the commune sites offer those of "commune".
LEVELS = {
    "dang-ky-khai-sinh": ("commune",),
    "xac-nhan-tinh-trang-hon-nhan": ("commune",),
    "chung-thuc-ban-sao-tu-ban-chinh": ("district", "commune"),
    "dang-ky-thanh-lap-ho-kinh-doanh": ("district",),
    "cap-giay-phep-xay-dung-nha-o-rieng-le": ("district",),
    "tiep-nhan-bao-cao-dinh-ky-cua-ubnd-cap-xa": ("district",),
    "khai-bao-y-te": ("district", "commune"),
}
# How a demo commune offers a canonical procedure: its own agency, code, fee and contacts.
OFFERINGS = [
    ("15358", "dang-ky-khai-sinh", {
        "agency": "Ủy ban nhân dân xã Vĩnh Tiến (Bộ phận tiếp nhận và trả kết quả)",
        "agency_code": "XVT",
        "fees": "Miễn lệ phí đăng ký khai sinh đúng hạn. Cấp bản sao trích lục: 3.000 đồng/bản.",
        "contacts": "Bộ phận một cửa UBND xã Vĩnh Tiến, thôn Cẩm Hoàng; sáng thứ Hai đến sáng thứ Bảy; "
                    "công chức tư pháp - hộ tịch: 0237 3870 358.",
    }),
]  # fmt: skip
PROCEDURES = [
    {
        "slug": "dang-ky-khai-sinh", "title": "Đăng ký khai sinh", "area": "Hộ tịch",
        "procedure_code": "1.001193", "level": "partial", "agency": AGENCY_COMMUNE,
        "summary": "Đăng ký khai sinh cho trẻ em sinh ra trên địa bàn, cấp Giấy khai sinh và số định danh cá nhân.",
        "applicants": "Cha, mẹ, ông, bà hoặc người thân thích khác, cá nhân, tổ chức đang nuôi dưỡng trẻ em.",
        "processing_days": 1,
        "processing_time_text": "Ngay trong ngày tiếp nhận; hồ sơ nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo.",
        "fees": "",
        "fee_items": fees(("Lệ phí đăng ký khai sinh đúng hạn", 0, "", (), "", "", ""),
                          ("Phí cấp bản sao trích lục khai sinh", 8000, "bản", (), "Người yêu cầu cấp bản sao", "", "")),
        "result": "Giấy khai sinh (bản chính); bản sao trích lục khai sinh nếu có yêu cầu.",
        "conditions": "Đăng ký trong thời hạn 60 ngày kể từ ngày sinh.",
        "steps": steps_(
            ("Nộp hồ sơ", "Người yêu cầu nộp hồ sơ trực tuyến hoặc tại Bộ phận một cửa UBND cấp xã."),
            ("Kiểm tra hồ sơ", "Công chức tư pháp - hộ tịch kiểm tra; hướng dẫn bổ sung nếu hồ sơ chưa đầy đủ."),
            ("Ghi Sổ hộ tịch và cấp Giấy khai sinh", "Chủ tịch UBND cấp xã ký Giấy khai sinh."),
        ),
        "methods": methods(("online", "Trong ngày", "Miễn lệ phí", "Nộp qua Cổng thông tin của huyện."),
                           ("in_person", "Trong ngày", "Miễn lệ phí", "Tại Bộ phận một cửa UBND cấp xã.")),
        "components": components(("", [("Tờ khai đăng ký khai sinh theo mẫu", 1, 0, "", "to-khai-khai-sinh"),
                                       ("Giấy chứng sinh", 1, 0, "Hoặc văn bản của người làm chứng xác nhận về việc sinh")])),
        "legal_basis": legal(("60/2014/QH13", "Luật Hộ tịch", "Quốc hội", "2014-11-20"),
                             ("123/2015/NĐ-CP", "Quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch", "Chính phủ", "2015-11-15"),
                             ("04/2020/TT-BTP", "Quy định chi tiết thi hành Luật Hộ tịch và Nghị định 123/2015/NĐ-CP", "Bộ Tư pháp", "2020-05-28")),
        "form": [
            applicant_step(),
            step("tre-em", "Thông tin về trẻ", [
                f("text", "ten_tre", "Họ, chữ đệm và tên của trẻ", max_length=120),
                f("date", "ngay_sinh_tre", "Ngày sinh của trẻ", period="past"),
                f("choice", "gioi_tinh_tre", "Giới tính của trẻ", choices=["Nam", "Nữ"]),
                f("text", "noi_sinh", "Nơi sinh", help="Ví dụ: Trung tâm Y tế huyện Vĩnh Lộc", max_length=200),
                f("text", "dan_toc", "Dân tộc", max_length=40),
                f("choice", "quan_he", "Quan hệ của người yêu cầu với trẻ", choices=["Cha", "Mẹ", "Ông", "Bà", "Người thân thích khác"]),
            ]),
            step("giay-to", "Giấy tờ kèm theo", [
                upload("giay_chung_sinh", "Giấy chứng sinh", help="Ảnh chụp rõ nét hoặc bản quét."),
                f("yesno", "cap_ban_sao", "Có yêu cầu cấp bản sao trích lục khai sinh không?"),
                f("number", "so_ban_sao", "Số bản sao trích lục", condition=("cap_ban_sao", "yes"), min_value="1", max_value="10", whole=True),
            ]),
        ],
    },
    {
        "slug": "xac-nhan-tinh-trang-hon-nhan", "title": "Cấp Giấy xác nhận tình trạng hôn nhân", "area": "Hộ tịch",
        "procedure_code": "1.004873", "level": "partial", "agency": AGENCY_COMMUNE,
        "summary": "Xác nhận tình trạng hôn nhân cho công dân Việt Nam cư trú trong nước.",
        "applicants": "Công dân Việt Nam cư trú trên địa bàn xã, thị trấn.",
        "processing_days": 3, "processing_time_text": "03 ngày làm việc",
        "fees": "",
        "fee_items": fees(("Lệ phí cấp Giấy xác nhận tình trạng hôn nhân", 15000, "giấy", (), "Người yêu cầu cấp Giấy xác nhận",
                           "Miễn cho người thuộc gia đình có công với cách mạng, người thuộc hộ nghèo, người khuyết tật.", FEE_RESOLUTION)),
        "result": "Giấy xác nhận tình trạng hôn nhân, có giá trị 6 tháng kể từ ngày cấp.",
        "steps": steps_(("Nộp hồ sơ", ""), ("Kiểm tra, xác minh", "Công chức tư pháp - hộ tịch kiểm tra; xác minh nếu cần."),
                        ("Cấp Giấy xác nhận", "Chủ tịch UBND cấp xã ký cấp.")),
        "methods": methods(("online", "03 ngày làm việc", "Theo Nghị quyết HĐND tỉnh", ""),
                           ("in_person", "03 ngày làm việc", "Theo Nghị quyết HĐND tỉnh", "")),
        "components": components(("", [("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu", 1, 0, "", "to-khai-tinh-trang-hon-nhan"),
                                       ("Bản án, quyết định ly hôn có hiệu lực", 0, 1, "Trường hợp đã ly hôn")])),
        "legal_basis": legal(("60/2014/QH13", "Luật Hộ tịch", "Quốc hội", "2014-11-20"),
                             ("123/2015/NĐ-CP", "Quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch", "Chính phủ", "2015-11-15")),
        "form": [
            applicant_step(),
            step("hon-nhan", "Tình trạng hôn nhân", [
                f("choice", "tinh_trang", "Tình trạng hôn nhân hiện tại", choices=["Chưa kết hôn", "Đang có vợ/chồng", "Đã ly hôn", "Vợ/chồng đã chết"]),
                upload("ban_an_ly_hon", "Bản án, quyết định ly hôn", condition=("tinh_trang", "Đã ly hôn"), required=True),
                f("textarea", "muc_dich", "Mục đích sử dụng Giấy xác nhận", max_length=500,
                  help="Ví dụ: để đăng ký kết hôn với bà Nguyễn Thị B tại UBND xã Vĩnh Hòa."),
            ]),
        ],
    },
    {
        "slug": "chung-thuc-ban-sao-tu-ban-chinh", "title": "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "area": "Chứng thực", "procedure_code": "2.000815", "level": "partial",
        "agency": "Phòng Tư pháp huyện Vĩnh Lộc; UBND xã, thị trấn",
        "summary": "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp.",
        "applicants": "Cá nhân, tổ chức.", "processing_days": 0,
        "processing_time_text": "Trong ngày; nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo",
        "fees": "Tối đa 200.000 đồng/bản.",
        "fee_items": fees(("Phí chứng thực bản sao, trang thứ nhất và thứ hai", 2000, "trang", (), "Người yêu cầu chứng thực", "", ""),
                          ("Phí chứng thực bản sao, từ trang thứ ba", 1000, "trang", (), "Người yêu cầu chứng thực", "", "")),
        "result": "Bản sao được chứng thực từ bản chính.",
        "conditions": "Người yêu cầu xuất trình bản chính khi nhận kết quả để đối chiếu.",
        "steps": steps_(("Nộp yêu cầu trực tuyến", "Tải lên bản chụp giấy tờ cần chứng thực."),
                        ("Nhận kết quả", "Mang bản chính đến Bộ phận một cửa để đối chiếu và nhận bản sao.")),
        "methods": methods(("online", "Trong ngày", "2.000 đồng/trang", "Nộp yêu cầu trực tuyến, nhận kết quả trực tiếp."),
                           ("in_person", "Trong ngày", "2.000 đồng/trang", "")),
        "components": components(("", [("Bản chính giấy tờ, văn bản cần chứng thực", 1, 0, ""),
                                       ("Bản sao cần chứng thực", 0, 1, "Nếu người yêu cầu tự chuẩn bị")])),
        "legal_basis": legal(("23/2015/NĐ-CP", "Về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký", "Chính phủ", "2015-02-16"),
                             ("01/2020/TT-BTP", "Quy định chi tiết và hướng dẫn thi hành Nghị định 23/2015/NĐ-CP", "Bộ Tư pháp", "2020-03-03")),
        "form": [
            applicant_step(),
            step("giay-to", "Giấy tờ cần chứng thực", [
                f("text", "ten_giay_to", "Tên giấy tờ, văn bản", max_length=200, help="Ví dụ: Bằng tốt nghiệp trung học phổ thông"),
                f("number", "so_ban", "Số bản sao cần chứng thực", min_value="1", max_value="50", whole=True),
                upload("ban_chup", "Bản chụp giấy tờ", count=5),
            ]),
        ],
    },
    {
        "slug": "dang-ky-thanh-lap-ho-kinh-doanh", "title": "Đăng ký thành lập hộ kinh doanh", "area": "Thành lập và hoạt động của hộ kinh doanh",
        "procedure_code": "2.000720", "level": "full", "agency": "Phòng Tài chính - Kế hoạch huyện Vĩnh Lộc",
        "summary": "Cấp Giấy chứng nhận đăng ký hộ kinh doanh.",
        "applicants": "Cá nhân, thành viên hộ gia đình là công dân Việt Nam có năng lực hành vi dân sự đầy đủ.",
        "processing_days": 3, "processing_time_text": "03 ngày làm việc kể từ ngày nhận hồ sơ hợp lệ",
        "fees": "",
        "fee_items": fees(("Lệ phí đăng ký hộ kinh doanh", 100000, "lần", ("in_person", "post"), "Chủ hộ kinh doanh", "", FEE_RESOLUTION),
                          ("Lệ phí đăng ký hộ kinh doanh", 0, "", ("online",), "", "Miễn lệ phí khi nộp hồ sơ trực tuyến.", FEE_RESOLUTION)),
        "result": "Giấy chứng nhận đăng ký hộ kinh doanh.",
        "conditions": "Tên hộ kinh doanh không trùng với tên hộ kinh doanh đã đăng ký trong huyện.",
        "steps": steps_(("Nộp hồ sơ", ""), ("Thẩm định", "Phòng Tài chính - Kế hoạch kiểm tra tính hợp lệ."),
                        ("Cấp Giấy chứng nhận", "Trong 03 ngày làm việc; thông báo bằng văn bản nếu từ chối.")),
        "methods": methods(("online", "03 ngày làm việc", "Theo Nghị quyết HĐND tỉnh", ""),
                           ("in_person", "03 ngày làm việc", "Theo Nghị quyết HĐND tỉnh", ""),
                           ("post", "03 ngày làm việc", "Theo Nghị quyết HĐND tỉnh", "")),
        "components": components(("", [("Giấy đề nghị đăng ký hộ kinh doanh", 1, 0, "", "giay-de-nghi-ho-kinh-doanh"),
                                       ("Bản sao giấy tờ pháp lý của cá nhân", 0, 1, "Của chủ hộ và các thành viên"),
                                       ("Biên bản họp thành viên hộ gia đình", 0, 1, "Nếu các thành viên cùng đăng ký")])),
        "legal_basis": legal(("01/2021/NĐ-CP", "Về đăng ký doanh nghiệp", "Chính phủ", "2021-01-04")),
        "form": [
            applicant_step("Chủ hộ kinh doanh"),
            step("ho-kinh-doanh", "Thông tin hộ kinh doanh", [
                f("text", "ten_ho", "Tên hộ kinh doanh", max_length=150, help="Ví dụ: Hộ kinh doanh Bánh răng bừa Hoa Mai"),
                f("address", "dia_diem", "Địa điểm kinh doanh"),
                f("textarea", "nganh_nghe", "Ngành, nghề kinh doanh", max_length=1000),
                f("number", "von", "Vốn kinh doanh (đồng)", min_value="0", whole=True),
                f("number", "lao_dong", "Số lao động", min_value="0", max_value="10000", whole=True, required=False),
            ]),
            step("giay-to", "Giấy tờ kèm theo", [
                upload("giay_de_nghi", "Giấy đề nghị đăng ký hộ kinh doanh (đã ký)", types=("pdf", "jpg", "png", "docx")),
                upload("bien_ban_hop", "Biên bản họp thành viên hộ gia đình", required=False),
            ]),
        ],
    },
    {
        "slug": "cap-giay-phep-xay-dung-nha-o-rieng-le", "title": "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        "area": "Hoạt động xây dựng", "procedure_code": "1.009994", "level": "partial",
        "agency": "Phòng Kinh tế và Hạ tầng huyện Vĩnh Lộc",
        "summary": "Cấp giấy phép xây dựng mới nhà ở riêng lẻ tại đô thị, trung tâm cụm xã và khu vực có quy hoạch.",
        "applicants": "Hộ gia đình, cá nhân là chủ đầu tư.", "processing_days": 15,
        "processing_time_text": "15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ",
        "fees": "",
        "fee_items": fees(("Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ", 75000, "giấy phép", (), "Chủ đầu tư", "", FEE_RESOLUTION)),
        "result": "Giấy phép xây dựng.",
        "conditions": "Phù hợp quy hoạch; bảo đảm an toàn công trình lân cận; có giấy tờ hợp pháp về đất đai.",
        "steps": steps_(("Nộp hồ sơ", ""), ("Kiểm tra thực địa", "Trong 07 ngày làm việc."),
                        ("Cấp giấy phép", "Thông báo bằng văn bản nếu từ chối, nêu rõ lý do.")),
        "methods": methods(("online", "15 ngày", "Theo Nghị quyết HĐND tỉnh", ""),
                           ("in_person", "15 ngày", "Theo Nghị quyết HĐND tỉnh", "")),
        "components": components(("", [("Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01 Phụ lục II Nghị định 15/2021/NĐ-CP)", 1, 0, "", "don-giay-phep-xay-dung"),
                                       ("Giấy tờ hợp pháp về quyền sử dụng đất", 0, 1, ""),
                                       ("Hai bộ bản vẽ thiết kế xây dựng", 2, 0, "")])),
        "legal_basis": legal(("50/2014/QH13", "Luật Xây dựng", "Quốc hội", "2014-06-18"),
                             ("62/2020/QH14", "Luật sửa đổi, bổ sung một số điều của Luật Xây dựng", "Quốc hội", "2020-06-17"),
                             ("15/2021/NĐ-CP", "Quy định chi tiết một số nội dung về quản lý dự án đầu tư xây dựng", "Chính phủ", "2021-03-03")),
        "form": [
            applicant_step("Chủ đầu tư"),
            step("cong-trinh", "Công trình", [
                f("address", "dia_diem_xd", "Địa điểm xây dựng"),
                f("text", "thua_dat", "Số thửa, tờ bản đồ", max_length=80, help="Ví dụ: thửa số 125, tờ bản đồ số 7"),
                f("number", "dien_tich", "Diện tích xây dựng tầng 1 (m²)", min_value="1", max_value="10000", whole=False),
                f("number", "so_tang", "Số tầng", min_value="1", max_value="7", whole=True),
            ]),
            step("giay-to", "Giấy tờ kèm theo", [
                upload("giay_to_dat", "Giấy tờ về quyền sử dụng đất"),
                upload("ban_ve", "Bản vẽ thiết kế", types=("pdf",), size=10, count=5),
            ]),
        ],
    },
    {
        "slug": "tiep-nhan-bao-cao-dinh-ky-cua-ubnd-cap-xa", "title": "Tiếp nhận báo cáo định kỳ của UBND xã, thị trấn",
        "area": "Văn thư – báo cáo", "procedure_code": "VL-BC-01", "level": "full",
        "agency": "Văn phòng HĐND và UBND huyện Vĩnh Lộc",
        "summary": "UBND các xã, thị trấn gửi báo cáo định kỳ, chuyên đề (đã ký số) đến UBND huyện thay cho gửi bản giấy.",
        "applicants": "Ủy ban nhân dân các xã, thị trấn thuộc huyện Vĩnh Lộc.", "processing_days": 1,
        "processing_time_text": "Tiếp nhận, vào sổ văn bản đến trong 01 ngày làm việc",
        "fees": "Không.", "result": "Phiếu tiếp nhận có mã hồ sơ; văn bản được chuyển đến lãnh đạo và phòng chuyên môn.",
        "steps": steps_(("Gửi báo cáo", "Văn thư xã tải lên văn bản đã ký số, ghi số, ngày và trích yếu."),
                        ("Tiếp nhận", "Văn thư huyện kiểm tra, vào sổ văn bản đến và trả phiếu tiếp nhận.")),
        "methods": methods(("online", "01 ngày làm việc", "Không", "Gửi qua Cổng thông tin của huyện.")),
        "components": components(("", [("Báo cáo đã ký số (tệp PDF)", 1, 0, "")])),
        "legal_basis": legal(("13341/UBND-CNTT", "Về việc đẩy mạnh ứng dụng công nghệ thông tin trong phòng, chống dịch Covid-19", "UBND tỉnh Thanh Hóa", "2021-08-30"),
                             ("2163/UBND-VHTT", "Về việc đẩy mạnh ứng dụng công nghệ thông tin trong phòng, chống dịch Covid-19", "UBND huyện Vĩnh Lộc", "2021-09-01"),
                             ("30/2020/NĐ-CP", "Về công tác văn thư", "Chính phủ", "2020-03-05")),
        "form": [
            step("co-quan", "Cơ quan gửi", [
                f("text", "co_quan", "Cơ quan gửi", role="organisation", max_length=200, help="Ví dụ: UBND xã Vĩnh Thành"),
                f("text", "nguoi_gui", "Người gửi (văn thư)", role="name", max_length=120),
                f("phone", "dien_thoai", "Số điện thoại", role="phone"),
                f("email", "email", "Thư điện tử công vụ", role="email"),
            ]),
            step("van-ban", "Báo cáo", [
                f("text", "so_ky_hieu", "Số, ký hiệu", max_length=50, help="Ví dụ: 125/BC-UBND"),
                f("date", "ngay_ban_hanh", "Ngày ban hành", period="past"),
                f("textarea", "trich_yeu", "Trích yếu", max_length=500),
                f("text", "nguoi_ky", "Người ký", max_length=120),
                upload("tep_ky_so", "Tệp báo cáo đã ký số", types=("pdf",), size=10, count=1),
            ]),
        ],
    },
]  # fmt: skip

HEALTH = {
    "slug": "khai-bao-y-te", "title": "Khai báo y tế điện tử", "area": "Y tế dự phòng",
    "procedure_code": "", "level": "full", "agency": "Trung tâm Y tế huyện Vĩnh Lộc",
    "summary": "Khai báo y tế theo mẫu của Bộ Y tế; nhận mã QR cá nhân để quét tại các điểm kiểm dịch.",
    "applicants": "Mọi người đến, ở, làm việc tại huyện Vĩnh Lộc.", "processing_days": 0,
    "processing_time_text": "Ngay khi gửi", "fees": "Không.", "result": "Mã QR cá nhân.",
    "external_form_url": "/khai-bao-y-te/",
    "legal_basis": [], "steps": [], "methods": [], "components": [], "form": [],
}  # fmt: skip


def _report_pdf() -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from portal.core.pdf import FONT, nfc, register_fonts

    register_fonts()
    style = ParagraphStyle("r", fontName=FONT, fontSize=11, leading=15, spaceAfter=6)
    text = SEED_REPORT.read_text(encoding="utf-8").replace("*", "").replace("#", "")
    out = io.BytesIO()
    story = [Paragraph(escape(nfc(line)), style) for line in text.splitlines() if line.strip()]
    SimpleDocTemplate(
        out, pagesize=A4, title=nfc("Báo cáo ứng dụng CNTT trong phòng, chống dịch Covid-19")
    ).build(story)
    return out.getvalue()


def _demo_report_dossier(page, ctx):
    from .filing import submit_dossier

    if Dossier.objects.filter(submission_key=DEMO_REPORT_KEY).exists():
        return
    upload = SimpleUploadedFile(
        "bao-cao-125-BC-UBND.pdf", _report_pdf(), content_type="application/pdf"
    )
    upload.safe_name = "bao-cao-125-BC-UBND.pdf"
    answers = {
        "co_quan": "UBND xã Vĩnh Thành", "nguoi_gui": "Trịnh Thị Hằng", "dien_thoai": "0912345678",
        "email": "vanthu.vinhthanh@vinhloc.example", "so_ky_hieu": "125/BC-UBND",
        "ngay_ban_hanh": "2021-09-10",
        "trich_yeu": "Báo cáo việc ứng dụng công nghệ thông tin trong phòng, chống dịch Covid-19 trên địa bàn xã",
        "nguoi_ky": "Chủ tịch UBND xã", "tep_ky_so": [{"name": upload.safe_name, "size": upload.size}],
    }  # fmt: skip
    dossier, _created = submit_dossier(page, page.form_schema(), answers, [("tep_ky_so", upload)],
                                       DEMO_REPORT_KEY, "Cam đoan của cơ quan gửi")  # fmt: skip
    officer = ctx.get("demo_users", {}).get("motcua")
    dossier.status = Status.RECEIVED
    dossier.assignee = officer
    dossier.save()
    DossierEvent.objects.create(
        dossier=dossier, status=Status.RECEIVED, previous_status=Status.NEW, actor=officer,
        actor_name=officer.get_full_name() if officer else "", note="Đã vào sổ văn bản đến.",
    )  # fmt: skip


def load(ctx):
    home = ctx.get("home")
    if home is None:
        return
    index = ServiceIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=ServiceIndexPage(
            title="Dịch vụ công trực tuyến", slug="dich-vu-cong", show_in_menus=True,
            intro="<p>Tra cứu thủ tục hành chính, nộp hồ sơ trực tuyến và theo dõi kết quả giải quyết.</p>",
        ))  # fmt: skip
    for order, spec in enumerate([*PROCEDURES, HEALTH]):
        if ServicePage.objects.child_of(index).filter(slug=spec["slug"]).exists():
            continue
        area, _created = ProcedureArea.objects.get_or_create(
            name=spec["area"], defaults={"sort_order": order}
        )
        page = ServicePage(
            title=spec["title"], slug=spec["slug"], procedure_code=spec["procedure_code"], area=area,
            level=spec["level"], summary=spec["summary"], agency=spec["agency"],
            applicants=spec["applicants"], processing_days=spec["processing_days"],
            processing_time_text=spec["processing_time_text"], fees=spec["fees"], result=spec["result"],
            fee_items=json.dumps(spec.get("fee_items", [])),
            conditions=spec.get("conditions", ""), external_form_url=spec.get("external_form_url", ""),
            steps=json.dumps(spec["steps"]), methods=json.dumps(spec["methods"]),
            components=json.dumps(with_form_documents(spec["components"])), legal_basis=json.dumps(spec["legal_basis"]),
            online_form=json.dumps(spec["form"]),
            **{f"at_{level}": True for level in LEVELS.get(spec["slug"], ())},
        )  # fmt: skip
        index.add_child(instance=page)
        page.save_revision().publish()
    report = ServicePage.objects.filter(slug="tiep-nhan-bao-cao-dinh-ky-cua-ubnd-cap-xa").first()
    if report is not None:
        _demo_report_dossier(report, ctx)
    _demo_offerings(ctx.get("unit_sites", {}))
    ctx["eservices_index"] = Page.objects.get(pk=index.pk)


def _demo_offerings(unit_sites):
    for code, slug, values in OFFERINGS:
        result = unit_sites.get(code)
        procedure = ServicePage.objects.filter(slug=slug).first()
        if result is not None and procedure is not None:
            ProcedureOffering.objects.get_or_create(
                procedure=procedure, site=result.site, defaults=values
            )
