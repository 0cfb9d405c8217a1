"""Demo content of the public sections: news, app guides, directives, the work schedule.

Everything comes from the district's report on IT in the fight against Covid-19 (demo_data/):
the directives it cites with their real numbers and dates, the report itself, and news about
what it describes (QR scanning, Zalo, radio bulletins, online meetings). Idempotent.
"""

import datetime
import re
from pathlib import Path

from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page, Site

from . import demo_media as media
from .models import (
    AppGuideIndexPage,
    AppGuidePage,
    DirectiveImplementation,
    DirectiveIndexPage,
    DirectivePage,
    Issuer,
    Meeting,
    NewsIndexPage,
    NewsPage,
)
from .models.directives import DirectiveType

ORDER = 20
DATA = Path(__file__).parent / "demo_data"
REPORT_FILE = DATA / "bao-cao-ung-dung-cntt-phong-chong-covid.txt"

ISSUERS = [
    ("UBND tỉnh Thanh Hóa", "People's Committee of Thanh Hoa Province", 10),
    ("Chủ tịch UBND tỉnh Thanh Hóa", "Chairman of the Thanh Hoa People's Committee", 20),
    ("Ban Tuyên giáo Tỉnh ủy Thanh Hóa", "Provincial Party Propaganda Department", 30),
    ("UBND huyện Vĩnh Lộc", "People's Committee of Vinh Loc District", 40),
    ("Quốc hội", "National Assembly of Viet Nam", 0),
    ("Chính phủ", "Government of Viet Nam", 1),
    ("Bộ Tư pháp", "Ministry of Justice", 2),
    ("HĐND tỉnh Thanh Hóa", "People's Council of Thanh Hoa Province", 5),
]  # fmt: skip

# The laws, decrees, circulars and the provincial fee resolution the demo procedures rest on
# (eservices.demo: legal basis and fees), so that their pages link to the register: (slug,
# type, reference, issuer, date of issue, date of effect, summary). The official full text is
# the national database's; the register holds the reference and summary, without a file.
LEGAL_DOCUMENTS = [
    ("luat-ho-tich-60-2014-qh13", DirectiveType.LAW, "60/2014/QH13", "Quốc hội",
     datetime.date(2014, 11, 20), datetime.date(2016, 1, 1), "Luật Hộ tịch."),
    ("luat-xay-dung-50-2014-qh13", DirectiveType.LAW, "50/2014/QH13", "Quốc hội",
     datetime.date(2014, 6, 18), datetime.date(2015, 1, 1), "Luật Xây dựng."),
    ("luat-sua-doi-luat-xay-dung-62-2020-qh14", DirectiveType.LAW, "62/2020/QH14", "Quốc hội",
     datetime.date(2020, 6, 17), datetime.date(2021, 1, 1),
     "Luật sửa đổi, bổ sung một số điều của Luật Xây dựng."),
    ("nghi-dinh-123-2015-nd-cp", DirectiveType.DECREE, "123/2015/NĐ-CP", "Chính phủ",
     datetime.date(2015, 11, 15), datetime.date(2016, 1, 1),
     "Quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch."),
    ("thong-tu-04-2020-tt-btp", DirectiveType.CIRCULAR, "04/2020/TT-BTP", "Bộ Tư pháp",
     datetime.date(2020, 5, 28), datetime.date(2020, 7, 16),
     "Quy định chi tiết thi hành một số điều của Luật Hộ tịch và Nghị định số 123/2015/NĐ-CP "
     "ngày 15/11/2015 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Hộ "
     "tịch."),
    ("nghi-dinh-23-2015-nd-cp", DirectiveType.DECREE, "23/2015/NĐ-CP", "Chính phủ",
     datetime.date(2015, 2, 16), datetime.date(2015, 4, 10),
     "Về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký và chứng "
     "thực hợp đồng, giao dịch."),
    ("thong-tu-01-2020-tt-btp", DirectiveType.CIRCULAR, "01/2020/TT-BTP", "Bộ Tư pháp",
     datetime.date(2020, 3, 3), datetime.date(2020, 4, 20),
     "Quy định chi tiết và hướng dẫn thi hành một số điều của Nghị định số 23/2015/NĐ-CP ngày "
     "16/02/2015 của Chính phủ về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng "
     "thực chữ ký và chứng thực hợp đồng, giao dịch."),
    ("nghi-dinh-01-2021-nd-cp", DirectiveType.DECREE, "01/2021/NĐ-CP", "Chính phủ",
     datetime.date(2021, 1, 4), datetime.date(2021, 1, 4), "Về đăng ký doanh nghiệp."),
    ("nghi-dinh-15-2021-nd-cp", DirectiveType.DECREE, "15/2021/NĐ-CP", "Chính phủ",
     datetime.date(2021, 3, 3), datetime.date(2021, 3, 3),
     "Quy định chi tiết một số nội dung về quản lý dự án đầu tư xây dựng."),
    ("nghi-dinh-30-2020-nd-cp", DirectiveType.DECREE, "30/2020/NĐ-CP", "Chính phủ",
     datetime.date(2020, 3, 5), datetime.date(2020, 3, 5), "Về công tác văn thư."),
    ("nghi-quyet-176-2021-nq-hdnd", DirectiveType.RESOLUTION, "176/2021/NQ-HĐND",
     "HĐND tỉnh Thanh Hóa", datetime.date(2021, 12, 10), datetime.date(2022, 1, 1),
     "Quy định mức thu, miễn, giảm; chế độ thu, nộp, quản lý và sử dụng các loại phí, lệ phí "
     "thuộc thẩm quyền quyết định của Hội đồng nhân dân tỉnh Thanh Hóa."),
]  # fmt: skip

# (slug, type, reference, issuer, date, summary, signer title, signer, implements)
DIRECTIVES = [
    ("cong-van-13341-ubnd-cntt", DirectiveType.OFFICIAL_LETTER, "13341/UBND-CNTT",
     "UBND tỉnh Thanh Hóa", datetime.date(2021, 8, 30),
     "Về việc đẩy mạnh ứng dụng công nghệ thông tin trong phòng, chống dịch Covid-19.",
     "", "", []),
    ("chi-thi-12-ct-ubnd-2020", DirectiveType.DIRECTIVE, "12/CT-UBND",
     "Chủ tịch UBND tỉnh Thanh Hóa", datetime.date(2020, 4, 1),
     "Về việc xử lý văn bản, hồ sơ công việc, giải quyết thủ tục hành chính và dịch vụ công "
     "trực tuyến trên môi trường điện tử.", "", "", []),
    ("chi-thi-15-ct-ubnd-2020", DirectiveType.DIRECTIVE, "15/CT-UBND",
     "Chủ tịch UBND tỉnh Thanh Hóa", datetime.date(2020, 5, 18),
     "Về việc tiếp tục đẩy mạnh xử lý văn bản, hồ sơ công việc và giải quyết thủ tục hành chính "
     "trên môi trường điện tử.", "", "", []),
    ("ke-hoach-26-kh-btgtu", DirectiveType.PLAN, "26-KH/BTGTU",
     "Ban Tuyên giáo Tỉnh ủy Thanh Hóa", datetime.date(2021, 8, 17),
     "Tuyên truyền về phòng, chống dịch Covid-19 trong tình hình hiện nay.", "", "", []),
    ("cong-van-1593-ubnd-vhtt", DirectiveType.OFFICIAL_LETTER, "1593/UBND-VHTT",
     "UBND huyện Vĩnh Lộc", datetime.date(2021, 7, 5),
     "Về việc đẩy mạnh triển khai việc quét mã QR để quản lý thông tin người ra vào cơ quan, tổ "
     "chức, cơ sở, địa điểm phục vụ phòng chống dịch bệnh Covid-19.", "", "", []),
    ("cong-van-1944-ubnd-vhtt", DirectiveType.OFFICIAL_LETTER, "1944/UBND-VHTT",
     "UBND huyện Vĩnh Lộc", datetime.date(2021, 8, 11),
     "Về việc tăng cường tạo và sử dụng mã QR trên địa bàn huyện.", "", "",
     ["cong-van-1593-ubnd-vhtt"]),
    ("cong-van-2163-ubnd-vhtt", DirectiveType.OFFICIAL_LETTER, "2163/UBND-VHTT",
     "UBND huyện Vĩnh Lộc", datetime.date(2021, 9, 1),
     "Về việc đẩy mạnh ứng dụng công nghệ thông tin trong phòng, chống dịch Covid-19.", "", "",
     ["cong-van-13341-ubnd-cntt"]),
    ("cong-van-2184-ubnd-vhtt", DirectiveType.OFFICIAL_LETTER, "2184/UBND-VHTT",
     "UBND huyện Vĩnh Lộc", datetime.date(2021, 9, 7),
     "Về việc triển khai ứng dụng Zalo trong phòng, chống dịch bệnh Covid-19 trên địa bàn huyện.",
     "", "", []),
]  # fmt: skip

# The type names as printed on the documents themselves.
TYPE_NAMES = {
    DirectiveType.LAW: "Luật",
    DirectiveType.OFFICIAL_LETTER: "Công văn",
    DirectiveType.DIRECTIVE: "Chỉ thị",
    DirectiveType.PLAN: "Kế hoạch",
    DirectiveType.REPORT: "Báo cáo",
    DirectiveType.DECREE: "Nghị định",
    DirectiveType.CIRCULAR: "Thông tư",
    DirectiveType.RESOLUTION: "Nghị quyết",
}
REPORT_SLUG = "bao-cao-ung-dung-cntt-phong-chong-covid-19"
REPORT = (
    REPORT_SLUG, DirectiveType.REPORT, "…/BC-UBND", "UBND huyện Vĩnh Lộc",
    datetime.date(2021, 9, 8),
    "Việc ứng dụng công nghệ thông tin trong phòng, chống dịch Covid-19 trên địa bàn huyện "
    "Vĩnh Lộc.", "Chủ tịch", "Lê Văn Tiến",
    ["cong-van-13341-ubnd-cntt", "chi-thi-12-ct-ubnd-2020", "chi-thi-15-ct-ubnd-2020",
     "ke-hoach-26-kh-btgtu"],
)  # fmt: skip


def report_paragraphs():
    """The report's text as plain paragraphs (the seed is light Markdown)."""
    lines = REPORT_FILE.read_text(encoding="utf-8").splitlines()
    return [re.sub(r"[#*]+", "", line).strip() for line in lines if line.strip()]


def report_html():
    """The report's text as rich text: headings, lists and bold kept."""
    html, in_list = [], False
    for line in REPORT_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("## "):
            continue  # the title is the page's own
        text = escape(re.sub(r"^#+\s*", "", line.lstrip("- ")))
        text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text).replace("*", "")
        if line.startswith("- "):
            if not in_list:
                html.append("<ul>")
                in_list = True
            html.append(f"<li>{text}</li>")
            continue
        if in_list:
            html.append("</ul>")
            in_list = False
        if line.startswith("###"):
            level = 3 if line.startswith("####") else 2
            html.append(f"<h{level}>{re.sub(r'</?b>', '', text)}</h{level}>")
        else:
            html.append(f"<p>{text}</p>")
    if in_list:
        html.append("</ul>")
    return "".join(html)


def _index(home, model, slug, title, **fields):
    page = model.objects.child_of(home).filter(slug=slug).first()
    if page is None:
        page = home.add_child(instance=model(title=title, slug=slug, show_in_menus=True, **fields))
        page.save_revision().publish()
    return page


def _child(parent, model, slug, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = parent.add_child(instance=model(slug=slug, **fields))
        page.save_revision().publish()
    return page


def load_directives(home):
    index = _index(
        home, DirectiveIndexPage, "van-ban", "Văn bản chỉ đạo, điều hành",
        intro="Công văn, chỉ thị, kế hoạch, báo cáo của tỉnh và của huyện về phòng, chống dịch "
        "Covid-19 và chuyển đổi số. Tra cứu theo số ký hiệu, loại văn bản, cơ quan ban hành, năm.",
    )  # fmt: skip
    issuers = {}
    for name, name_en, order in ISSUERS:
        issuers[name], _ = Issuer.objects.get_or_create(
            name=name, defaults={"name_en": name_en, "sort_order": order}
        )
    pages = {}
    for slug, doc_type, ref, issuer, date, summary, signer_title, signer, _links in [
        *DIRECTIVES,
        REPORT,
    ]:
        label = TYPE_NAMES[doc_type]
        is_report = slug == REPORT_SLUG
        text = report_paragraphs() if is_report else [
            f"{issuer} ban hành {label.lower()} số {ref} ngày {date:%d/%m/%Y}.",
            summary,
            "Văn bản này được đăng trên Cổng thông tin điện tử huyện Vĩnh Lộc để cán bộ, "
            "công chức và người dân tra cứu. Bản có giá trị pháp lý là bản do cơ quan ban hành "
            "ký số hoặc đóng dấu.",
        ]  # fmt: skip
        title = (
            "Báo cáo việc ứng dụng công nghệ thông tin trong phòng, chống dịch Covid-19"
            if is_report
            else f"{label} {ref}"
        )
        document = media.get_or_create_document(
            title,
            media.directive_pdf(
                {
                    "type_label": label,
                    "reference": ref,
                    "issuer": issuer,
                    "issue_date": date,
                    "summary": summary,
                    "text": text,
                    "signer": signer,
                    "signer_title": signer_title,
                }
            ),
            f"{slug}.pdf",
        )
        pages[slug] = _child(
            index, DirectivePage, slug,
            title=title, doc_type=doc_type, reference=ref, issuer=issuers[issuer],
            signer=signer, signer_title=signer_title, issue_date=date, effective_date=date,
            summary=summary, document=document, body=report_html() if is_report else "",
        )  # fmt: skip
    for slug, *_rest, links in [*DIRECTIVES, REPORT]:
        page = pages[slug]
        if links and not page.implements_links.exists():
            for order, target in enumerate(links):
                page.implements_links.add(
                    DirectiveImplementation(target=pages[target], sort_order=order)
                )
            page.save_revision().publish()
    load_legal_documents(index, issuers)
    return index, pages


def load_legal_documents(index, issuers):
    for slug, doc_type, ref, issuer, date, effective, summary in LEGAL_DOCUMENTS:
        # A law is known by its name ("Luật Hộ tịch 60/2014/QH13"), the rest by type and number.
        name = summary.rstrip(".") if doc_type == DirectiveType.LAW else TYPE_NAMES[doc_type]
        _child(
            index, DirectivePage, slug,
            title=f"{name} {ref}", doc_type=doc_type, reference=ref,
            issuer=issuers[issuer], issue_date=date, effective_date=effective, summary=summary,
            body=f"<p>{escape(summary)}</p><p>Toàn văn có giá trị pháp lý được đăng trên Cơ sở "
            "dữ liệu quốc gia về văn bản pháp luật (vbpl.vn) và Công báo.</p>",
        )  # fmt: skip


# (slug, category, date, title, summary, paragraphs, tags, featured, colour)
NEWS = [
    ("vinh-loc-day-manh-quet-ma-qr", "tin-tuc", datetime.date(2021, 9, 9),
     "Vĩnh Lộc đẩy mạnh quét mã QR tại các cơ quan, đơn vị",
     "Tất cả cơ quan, đơn vị trên địa bàn huyện đã đăng ký “Điểm kiểm dịch” và kiểm soát người "
     "ra vào bằng mã QR, phục vụ truy vết nhanh khi cần thiết.",
     ["Thực hiện Công văn số 1593/UBND-VHTT ngày 05/7/2021 và Công văn số 1944/UBND-VHTT ngày "
      "11/8/2021 của UBND huyện, các cơ quan, đơn vị, cơ sở sản xuất kinh doanh trên địa bàn đã "
      "tạo mã QR “Điểm kiểm dịch” và niêm yết tại cổng ra vào.",
      "Người có điện thoại thông minh quét mã QR và khai báo y tế điện tử; người không có điện "
      "thoại thông minh khai tờ khai giấy do đơn vị cung cấp theo đúng quy định của ngành Y tế.",
      "Việc quét mã giúp cơ quan chức năng nắm được ai đã đến địa điểm nào, vào lúc nào, để "
      "khoanh vùng và truy vết nhanh khi có ca bệnh."],
     ["mã QR", "điểm kiểm dịch", "truy vết"], True, (155, 28, 28)),
    ("huong-dan-quet-ma-qr-noi-cong-cong", "tuyen-truyen", datetime.date(2021, 9, 6),
     "Hướng dẫn người dân quét mã QR khi đến nơi công cộng",
     "Ba bước đơn giản để quét mã QR tại chợ, trụ sở, trạm y tế bằng ứng dụng VHD, NCOVI "
     "hoặc Bluezone.",
     ["Bước 1: mở ứng dụng VHD, NCOVI hoặc Bluezone trên điện thoại thông minh.",
      "Bước 2: chọn chức năng quét mã QR và hướng camera vào mã niêm yết tại cửa ra vào.",
      "Bước 3: kiểm tra thông tin và xác nhận. Nếu có triệu chứng sốt, ho, khó thở, hãy khai "
      "báo trung thực và liên hệ trạm y tế xã."],
     ["mã QR", "hướng dẫn", "VHD", "NCOVI", "Bluezone"], False, (11, 79, 138)),
    ("trien-khai-zalo-phong-chong-dich", "tin-tuc", datetime.date(2021, 9, 8),
     "Triển khai ứng dụng Zalo trong phòng, chống dịch Covid-19",
     "Theo Công văn số 2184/UBND-VHTT, các xã, thị trấn lập nhóm Zalo để truyền tải nhanh "
     "thông tin phòng, chống dịch đến từng thôn, khu phố.",
     ["UBND huyện đề nghị các xã, thị trấn lập nhóm Zalo của ban chỉ đạo, của tổ COVID cộng "
      "đồng và của từng thôn, khu phố.",
      "Thông tin chính thức của huyện được chia sẻ qua các nhóm này; người dân không chia sẻ "
      "tin chưa được kiểm chứng."],
     ["Zalo", "tuyên truyền"], False, (30, 107, 52)),
    ("ban-tin-phat-thanh-cai-dat-ung-dung", "tuyen-truyen", datetime.date(2021, 9, 3),
     "Bản tin phát thanh: cài đặt ứng dụng VHD, NCOVI, Bluezone để quét mã QR",
     "Bản tin của hệ thống đài truyền thanh xã, thị trấn đề nghị mọi người dân có điện thoại "
     "thông minh cài đặt ứng dụng để quét mã QR.",
     ["Hệ thống đài truyền thanh, trang thông tin điện tử của các xã, thị trấn và của huyện "
      "phát bản tin hằng ngày đề nghị người dân cài đặt ứng dụng VHD, NCOVI, Bluezone.",
      "Nghe lại bản tin ở đầu trang; các xã có thể tải tệp âm thanh về để phát lại."],
     ["phát thanh", "VHD", "NCOVI", "Bluezone"], False, (138, 83, 0)),
    ("thong-bao-to-khai-y-te-giay", "thong-bao", datetime.date(2021, 9, 2),
     "Thông báo: khai báo y tế bằng tờ khai giấy cho người không có điện thoại thông minh",
     "Các đơn vị cung cấp tờ khai bản giấy và yêu cầu người đến giao dịch khai báo y tế theo "
     "đúng quy định.",
     ["Người không sử dụng điện thoại thông minh khi đến cơ quan, đơn vị được phát tờ khai y tế "
      "bản giấy tại bàn hướng dẫn.",
      "Tờ khai được lưu theo ngày; cán bộ y tế nhập vào hệ thống khi cần truy vết."],
     ["khai báo y tế", "tờ khai giấy"], False, (179, 38, 30)),
    ("hop-giao-ban-truc-tuyen", "tin-tuc", datetime.date(2021, 8, 30),
     "Họp, giao ban trực tuyến để hạn chế tiếp xúc trực tiếp",
     "UBND huyện sử dụng hình thức họp, giao ban trực tuyến với 13 xã, thị trấn, nâng cao hiệu "
     "quả chỉ đạo, điều hành và giảm nguy cơ lây lan dịch bệnh.",
     ["Các cuộc giao ban hằng tuần của Ban Chỉ đạo phòng, chống dịch huyện được tổ chức trực "
      "tuyến tới điểm cầu các xã, thị trấn.",
      "Văn bản, hồ sơ công việc được xử lý trên môi trường điện tử theo Chỉ thị số 12/CT-UBND và "
      "Chỉ thị số 15/CT-UBND của Chủ tịch UBND tỉnh."],
     ["họp trực tuyến", "chuyển đổi số"], False, (77, 86, 97)),
    ("moi-can-bo-la-mot-tuyen-truyen-vien", "tuyen-truyen", datetime.date(2021, 8, 25),
     "Mỗi cán bộ, công chức là một tuyên truyền viên",
     "Cán bộ, công chức, viên chức cài đặt Bluezone, Smart Thanh Hóa và hướng dẫn người thân, "
     "hàng xóm sử dụng mã QR khi đến nơi công cộng.",
     ["Tất cả cán bộ, công chức, viên chức, người lao động có điện thoại thông minh đã cài đặt "
      "ứng dụng Bluezone, Smart Thanh Hóa và khai báo y tế điện tử.",
      "Mỗi người tích cực hướng dẫn người thân, người dân nơi cư trú cách quét mã QR."],
     ["Bluezone", "Smart Thanh Hóa", "tuyên truyền"], False, (11, 79, 138)),
    ("thong-bao-dich-vu-cong-truc-tuyen", "thong-bao", datetime.date(2021, 8, 20),
     "Thông báo: khuyến khích nộp hồ sơ qua dịch vụ công trực tuyến",
     "Trong thời gian giãn cách, người dân và doanh nghiệp nên nộp hồ sơ thủ tục hành chính "
     "qua dịch vụ công trực tuyến thay vì đến trụ sở.",
     ["Bộ phận Một cửa huyện tiếp tục tiếp nhận hồ sơ trực tuyến; kết quả được trả qua bưu "
      "điện hoặc hẹn ngày nhận.",
      "Người dân tra cứu tình trạng hồ sơ bằng mã hồ sơ trên Cổng thông tin."],
     ["dịch vụ công", "một cửa"], False, (30, 107, 52)),
    ("xa-thi-tran-tuyen-truyen-ke-hoach-26", "tuyen-truyen", datetime.date(2021, 8, 19),
     "Các xã, thị trấn tuyên truyền phòng, chống dịch theo Kế hoạch 26-KH/BTGTU",
     "Trung tâm Văn hóa, Thông tin, Thể thao và Du lịch cùng các xã, thị trấn triển khai "
     "tuyên truyền theo Kế hoạch số 26-KH/BTGTU của Ban Tuyên giáo Tỉnh ủy.",
     ["Nội dung tuyên truyền tập trung vào thông điệp 5K, tiêm vắc-xin và quét mã QR.",
      "Băng rôn, khẩu hiệu, xe lưu động và loa truyền thanh được sử dụng đồng thời."],
     ["tuyên truyền", "5K"], False, (138, 83, 0)),
    ("thong-bao-duong-day-nong", "thong-bao", datetime.date(2021, 7, 12),
     "Thông báo số điện thoại đường dây nóng phòng, chống dịch",
     "Người dân phản ánh, báo tin về người về từ vùng dịch qua đường dây nóng của huyện và "
     "của Trung tâm Y tế.",
     ["Đường dây nóng phòng, chống dịch huyện Vĩnh Lộc: 0237 3870 115.",
      "Trung tâm Y tế huyện Vĩnh Lộc: 0237 3870 206. Tổng đài Bộ Y tế: 1900 9095."],
     ["đường dây nóng"], False, (179, 38, 30)),
]  # fmt: skip


def load_news(home):
    index = _index(
        home, NewsIndexPage, "tin-tuc", "Tin tức",
        intro="Tin tức, tuyên truyền và thông báo của huyện Vĩnh Lộc.",
    )  # fmt: skip
    jingle = media.get_or_create_document(
        "Bản tin phát thanh: cài đặt ứng dụng quét mã QR", media.jingle_wav(), "ban-tin-qr.wav"
    )
    for slug, category, date, title, summary, paragraphs, tags, featured, colour in NEWS:
        if NewsPage.objects.child_of(index).filter(slug=slug).exists():
            continue
        image = media.get_or_create_image(
            f"Ảnh minh họa: {title}",
            media.illustration(title, summary.split(",")[0], colour),
            f"{slug}.jpg",
        )
        body = [("paragraph", "".join(f"<p>{escape(p)}</p>" for p in paragraphs))]
        if category == "thong-bao":
            body.append(
                ("callout", {"level": "info", "title": "Cần hỗ trợ?",
                             "text": "<p>Gọi đường dây nóng 0237 3870 115.</p>"})
            )  # fmt: skip
        page = NewsPage(
            slug=slug, title=title, category=category, date=date, summary=summary,
            lead_image=image, lead_image_caption=title, body=body, featured=featured,
            audio=jingle if slug == "ban-tin-phat-thanh-cai-dat-ung-dung" else None,
        )  # fmt: skip
        index.add_child(instance=page)
        page.tags.add(*tags)
        page.save_revision().publish()
    return index


def _store(name):
    from urllib.parse import quote

    return (
        f"https://play.google.com/store/search?q={quote(name)}&c=apps",
        f"https://apps.apple.com/vn/search?term={quote(name)}",
    )


# (slug, name, short label, colour, publisher, purpose, web, android steps, ios steps, faq)
GUIDES = [
    ("pc-covid", "PC-Covid", "PC", (11, 79, 138),
     "Ban Chỉ đạo quốc gia phòng, chống dịch Covid-19 (Bộ Thông tin và Truyền thông)",
     "Ứng dụng phòng, chống dịch quốc gia: quét mã QR khi ra vào địa điểm, khai báo y tế, "
     "xem chứng nhận tiêm chủng và kết quả xét nghiệm.", "https://pccovid.gov.vn",
     ["Mở CH Play, tìm “PC-Covid” và chọn Cài đặt.",
      "Mở ứng dụng, nhập số điện thoại và mã OTP được gửi qua tin nhắn.",
      "Chọn “Quét QR” và đưa camera vào mã QR tại điểm kiểm dịch."],
     ["Mở App Store, tìm “PC-Covid” và chọn Nhận.",
      "Cho phép ứng dụng dùng camera và gửi thông báo, rồi đăng ký bằng số điện thoại.",
      "Chọn “Quét QR” ở màn hình chính khi đến cơ quan, chợ, trạm y tế."],
     [("Không nhận được mã OTP thì làm gì?",
       "Kiểm tra sóng điện thoại, chờ 60 giây rồi chọn gửi lại mã."),
      ("Một điện thoại khai báo cho cả gia đình được không?",
       "Được: thêm người thân trong mục khai báo y tế của ứng dụng.")]),
    ("bluezone", "Bluezone", "BZ", (0, 112, 192),
     "Bộ Thông tin và Truyền thông",
     "Ghi nhận tiếp xúc gần qua Bluetooth và cảnh báo khi bạn từng tiếp xúc với người nhiễm.",
     "https://www.bluezone.gov.vn",
     ["Mở CH Play, tìm “Bluezone” và cài đặt.",
      "Bật Bluetooth và cho phép ứng dụng chạy nền.",
      "Nhập số điện thoại để nhận cảnh báo khi có tiếp xúc gần."],
     ["Mở App Store, tìm “Bluezone” và tải về.",
      "Cho phép Bluetooth và thông báo khi ứng dụng hỏi.",
      "Giữ ứng dụng mở nền; không tắt Bluetooth khi ra ngoài."],
     [("Bluezone có hao pin không?",
       "Ứng dụng dùng Bluetooth năng lượng thấp, hao pin không đáng kể.")]),
    ("vhd", "VHD – Vietnam Health Declaration", "VHD", (30, 107, 52),
     "Bộ Y tế",
     "Khai báo y tế điện tử, khai báo di chuyển nội địa và quét mã QR tại điểm kiểm dịch.",
     "https://tokhaiyte.vn",
     ["Tìm “Vietnam Health Declaration” trên CH Play và cài đặt.",
      "Đăng ký bằng số điện thoại, điền họ tên, năm sinh, địa chỉ.",
      "Chọn “Quét QR” để check-in khi đến nơi công cộng."],
     ["Tìm “Vietnam Health Declaration” trên App Store.",
      "Đăng ký tài khoản bằng số điện thoại và mã OTP.",
      "Dùng “Quét QR” tại cửa ra vào; khai báo lại nếu có triệu chứng."],
     [("Khai báo sai thông tin có sao không?",
       "Khai báo gian dối có thể bị xử phạt; hãy sửa lại thông tin trong ứng dụng.")]),
    ("ncovi", "NCOVI", "NC", (179, 38, 30),
     "Bộ Y tế và Bộ Thông tin và Truyền thông",
     "Khai báo sức khỏe hằng ngày, cập nhật tình hình dịch bệnh và quét mã QR.",
     "",
     ["Tìm “NCOVI” trên CH Play và cài đặt.",
      "Đăng ký bằng số điện thoại và cập nhật sức khỏe hằng ngày.",
      "Dùng chức năng quét mã QR khi ra vào địa điểm."],
     ["Tìm “NCOVI” trên App Store và tải về.",
      "Đăng ký và khai báo sức khỏe.",
      "Quét mã QR tại điểm kiểm dịch."],
     [("Có cần khai báo mỗi ngày?",
       "Chỉ khi có thay đổi về sức khỏe hoặc khi cơ quan y tế yêu cầu.")]),
    ("smart-thanh-hoa", "Smart Thanh Hóa", "STH", (155, 28, 28),
     "UBND tỉnh Thanh Hóa",
     "Ứng dụng của tỉnh: tin tức chỉ đạo, phản ánh hiện trường, tra cứu hồ sơ và thông tin "
     "phòng, chống dịch của Thanh Hóa.",
     "",
     ["Tìm “Smart Thanh Hóa” trên CH Play và cài đặt.",
      "Đăng ký tài khoản bằng số điện thoại.",
      "Bật thông báo để nhận tin chỉ đạo của tỉnh và huyện."],
     ["Tìm “Smart Thanh Hóa” trên App Store.",
      "Đăng ký tài khoản bằng số điện thoại.",
      "Bật thông báo trong Cài đặt để nhận tin mới."],
     [("Phản ánh hiện trường thế nào?",
       "Chọn “Phản ánh”, chụp ảnh, mô tả sự việc và gửi; cơ quan chức năng sẽ trả lời.")]),
]  # fmt: skip


def load_guides(home):
    index = _index(
        home, AppGuideIndexPage, "huong-dan-ung-dung", "Hướng dẫn cài đặt ứng dụng",
        intro="<p>Cài đặt một trong các ứng dụng VHD, NCOVI, Bluezone để quét mã QR; cán bộ, "
        "công chức cài thêm Smart Thanh Hóa.</p>",
    )  # fmt: skip
    for slug, name, label, colour, publisher, purpose, web, android, ios, faq in GUIDES:
        if AppGuidePage.objects.child_of(index).filter(slug=slug).exists():
            continue
        icon = media.get_or_create_image(
            f"Biểu tượng {name}", media.app_icon(label, colour), f"{slug}.png"
        )

        def steps(platform, texts, name=name, colour=colour, slug=slug):
            blocks = []
            for number, text in enumerate(texts, start=1):
                shot = media.get_or_create_image(
                    f"{name} – {platform} – bước {number}",
                    media.screenshot(name, platform, number, text, colour),
                    f"{slug}-{platform.lower()}-{number}.png",
                )
                title = text.split(",")[0].rstrip(".")
                blocks.append(
                    ("step", {"title": title, "text": f"<p>{escape(text)}</p>", "screenshot": shot})
                )
            return blocks

        android_url, ios_url = _store(name.split(" –")[0])
        _child(
            index, AppGuidePage, slug,
            title=name, icon=icon, publisher=publisher, purpose=f"<p>{escape(purpose)}</p>",
            search_description=purpose, android_url=android_url, ios_url=ios_url, web_url=web,
            android_steps=steps("Android", android), ios_steps=steps("iOS", ios),
            faq=[("question", {"question": q, "answer": f"<p>{escape(a)}</p>"}) for q, a in faq],
        )  # fmt: skip
    return index


MEETINGS_2021 = [
    (datetime.datetime(2021, 9, 6, 8, 0), "Giao ban trực tuyến Ban Chỉ đạo phòng, chống dịch "
     "Covid-19 huyện với 13 xã, thị trấn", "Chủ tịch UBND huyện Lê Văn Tiến",
     "Thành viên Ban Chỉ đạo huyện; Chủ tịch UBND các xã, thị trấn", "Phòng họp trực tuyến "
     "UBND huyện", True),
    (datetime.datetime(2021, 9, 8, 14, 0), "Làm việc với Trung tâm VH TT, TT & DL về tuyên "
     "truyền quét mã QR trên hệ thống đài truyền thanh", "Phó Chủ tịch UBND huyện",
     "Phòng Văn hóa và Thông tin; Trung tâm VH TT, TT & DL", "Phòng họp số 2, UBND huyện", False),
]  # fmt: skip

# Relative to the current week: (weekday, hour, title, chair, participants, place, online)
MEETINGS_WEEKLY = [
    (0, 7, "Chào cờ và giao ban lãnh đạo UBND huyện", "Chủ tịch UBND huyện",
     "Các Phó Chủ tịch UBND huyện; Chánh Văn phòng HĐND và UBND huyện", "Hội trường UBND huyện",
     False),
    (1, 8, "Giao ban trực tuyến với các xã, thị trấn về chuyển đổi số", "Phó Chủ tịch UBND huyện",
     "Chủ tịch UBND 13 xã, thị trấn; Phòng Văn hóa và Thông tin", "Điểm cầu UBND huyện", True),
    (3, 14, "Kiểm tra công tác tiếp nhận hồ sơ trực tuyến tại Bộ phận Một cửa",
     "Chủ tịch UBND huyện", "Văn phòng HĐND và UBND huyện; Bộ phận Một cửa",
     "Bộ phận Một cửa huyện", False),
]  # fmt: skip


MEETING_LINK = "https://hop.vinhloc.thanhhoa.gov.vn/giao-ban"
TWO_HOURS = datetime.timedelta(hours=2)


def load_meetings(site):
    """The district's schedule, on its own site."""
    tz = timezone.get_current_timezone()
    for start, title, chair, participants, place, online in MEETINGS_2021:
        Meeting.objects.get_or_create(
            site=site, start=start.replace(tzinfo=tz), title=title,
            defaults={"chair": chair, "participants": participants, "place": place,
                      "is_online": online, "end": start.replace(tzinfo=tz) + TWO_HOURS,
                      "online_link": MEETING_LINK if online else ""},
        )  # fmt: skip
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    for week_offset in (-1, 0, 1):
        for weekday, hour, title, chair, participants, place, online in MEETINGS_WEEKLY:
            day = monday + datetime.timedelta(days=7 * week_offset + weekday)
            start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)
            Meeting.objects.get_or_create(
                site=site, start=start, title=title,
                defaults={"chair": chair, "participants": participants, "place": place,
                          "is_online": online, "end": start + datetime.timedelta(hours=2),
                          "preparation": "Văn phòng HĐND và UBND huyện",
                          "online_link": MEETING_LINK if online else ""},
            )  # fmt: skip


def load(ctx):
    home = Page.objects.get(pk=ctx["home"].pk).specific
    load_news(home)
    load_directives(home)
    load_guides(home)
    load_meetings(Site.objects.get(root_page=home))
    load_commune_content(ctx.get("unit_sites", {}))


# Each demo commune site's own news and directive (core.demo.DEMO_UNIT_SITES): (unit code,
# news [(slug, category, date, title, summary, paragraphs, colour)], directive (slug, type,
# reference, date, summary, signer)).
COMMUNE_CONTENT = [
    ("15349", [
        ("thi-tran-ra-quan-tong-ve-sinh", "tin-tuc", datetime.date(2021, 9, 10),
         "Thị trấn Vĩnh Lộc ra quân tổng vệ sinh môi trường các khu phố",
         "Đoàn viên, hội viên và nhân dân 6 khu phố ra quân phát quang, thu gom rác thải, giữ "
         "gìn vệ sinh phòng, chống dịch bệnh.",
         ["Sáng Chủ nhật, các khu phố của thị trấn đồng loạt ra quân tổng vệ sinh đường làng, "
          "ngõ xóm, khơi thông cống rãnh.",
          "Ban chỉ đạo phòng, chống dịch thị trấn đề nghị các hộ gia đình duy trì vệ sinh hằng "
          "tuần và giữ khoảng cách khi tham gia."], (30, 107, 52)),
        ("thong-bao-lich-tiem-tram-y-te-thi-tran", "thong-bao", datetime.date(2021, 9, 8),
         "Thông báo lịch tiêm vắc-xin Covid-19 tại Trạm Y tế thị trấn",
         "Người từ 18 tuổi trở lên chưa tiêm mũi 1 đăng ký với tổ trưởng khu phố trước ngày "
         "12/9/2021.",
         ["Trạm Y tế thị trấn Vĩnh Lộc tổ chức tiêm vắc-xin phòng Covid-19 từ ngày 13/9/2021.",
          "Khi đến tiêm, người dân mang theo căn cước công dân, đeo khẩu trang và quét mã QR "
          "tại cổng trạm."], (179, 38, 30)),
    ], ("ke-hoach-45-kh-ubnd-thi-tran", DirectiveType.PLAN, "45/KH-UBND",
        datetime.date(2021, 9, 6),
        "Triển khai quét mã QR tại các khu phố, chợ và cơ sở kinh doanh trên địa bàn thị trấn.",
        "Nguyễn Văn Hải")),
    ("15358", [
        ("vinh-tien-lap-nhom-zalo-thon", "tin-tuc", datetime.date(2021, 9, 9),
         "Xã Vĩnh Tiến lập nhóm Zalo phòng, chống dịch ở từng thôn",
         "Mỗi thôn có một nhóm Zalo do trưởng thôn quản lý để truyền tin chỉ đạo của xã đến "
         "từng hộ gia đình.",
         ["Thực hiện Công văn số 2184/UBND-VHTT của UBND huyện, xã Vĩnh Tiến đã lập nhóm Zalo "
          "ở tất cả các thôn.",
          "Người dân theo dõi thông tin chính thức trong nhóm, không chia sẻ tin chưa kiểm "
          "chứng."], (11, 79, 138)),
        ("vinh-tien-thong-bao-cho-phien", "thong-bao", datetime.date(2021, 9, 4),
         "Thông báo: chợ phiên xã Vĩnh Tiến họp lại, người đến chợ quét mã QR",
         "Chợ phiên họp lại từ ngày 5/9/2021; ban quản lý chợ bố trí lối vào duy nhất và mã QR "
         "điểm kiểm dịch.",
         ["Tiểu thương và người đi chợ đeo khẩu trang, quét mã QR hoặc khai tờ khai giấy tại "
          "cổng chợ."], (138, 83, 0)),
    ], ("cong-van-32-ubnd-vinh-tien", DirectiveType.OFFICIAL_LETTER, "32/UBND",
        datetime.date(2021, 9, 3),
        "Về việc tăng cường kiểm soát người ra vào địa bàn xã.", "Lê Đình Thắng")),
    ("15388", [
        ("vinh-thinh-huong-dan-khai-bao-y-te", "tin-tuc", datetime.date(2021, 9, 7),
         "Xã Vĩnh Thịnh hướng dẫn người dân khai báo y tế điện tử",
         "Đoàn thanh niên xã đến từng thôn hướng dẫn người cao tuổi cài ứng dụng và khai báo "
         "y tế.",
         ["Các tình nguyện viên hướng dẫn cài đặt ứng dụng VHD, PC-Covid và cách quét mã QR.",
          "Người không có điện thoại thông minh được phát tờ khai y tế bản giấy."],
         (155, 28, 28)),
        ("vinh-thinh-thu-hoach-lua-mua", "tuyen-truyen", datetime.date(2021, 9, 2),
         "Nông dân Vĩnh Thịnh thu hoạch lúa mùa, bảo đảm giãn cách trên đồng",
         "Hợp tác xã bố trí máy gặt theo lịch từng xứ đồng, hạn chế tập trung đông người.",
         ["Các hộ đăng ký lịch gặt với hợp tác xã; người làm thuê từ nơi khác đến khai báo y tế "
          "với thôn."], (30, 107, 52)),
    ], ("thong-bao-18-tb-ubnd-vinh-thinh", DirectiveType.OFFICIAL_LETTER, "18/UBND",
        datetime.date(2021, 9, 1),
        "Về việc tổ chức thu hoạch vụ mùa bảo đảm phòng, chống dịch Covid-19.",
        "Trịnh Văn Phú")),
]  # fmt: skip


def load_commune_content(unit_sites):
    """Each demo commune site's own news and directive, in its own collection."""
    from portal.core.sites import unit_for_site
    from portal.core.unit_sites import unit_phrase

    for code, news, (slug, doc_type, ref, date, summary, signer) in COMMUNE_CONTENT:
        result = unit_sites.get(code)
        if result is None:
            continue
        unit = unit_for_site(result.site)
        phrase = unit_phrase(unit)
        home = result.home
        collection = result.collection
        index = NewsIndexPage.objects.child_of(home).first()
        for number, (n_slug, category, n_date, title, n_summary, paragraphs, colour) in enumerate(
            news
        ):
            if NewsPage.objects.child_of(index).filter(slug=n_slug).exists():
                continue
            image = media.get_or_create_image(
                f"Ảnh minh họa: {title}",
                media.illustration(title, unit.display_name, colour),
                f"{n_slug}.jpg",
                collection=collection,
            )
            body = [("paragraph", "".join(f"<p>{escape(p)}</p>" for p in paragraphs))]
            page = NewsPage(
                slug=n_slug, title=title, category=category, date=n_date, summary=n_summary,
                lead_image=image, lead_image_caption=title, body=body,
                show_on_parent=number == 0,  # the first is also listed on the district's portal
            )  # fmt: skip
            index.add_child(instance=page)
            page.save_revision().publish()
        load_commune_meetings(result.site, phrase)
        register = DirectiveIndexPage.objects.child_of(home).first()
        if DirectivePage.objects.child_of(register).filter(slug=slug).exists():
            continue
        issuer, _ = Issuer.objects.get_or_create(
            name=f"UBND {phrase}", defaults={"name_en": f"People's Committee of {unit.name}"}
        )
        label = TYPE_NAMES[doc_type]
        title = f"{label} {ref}"
        document = media.get_or_create_document(
            f"{title} của UBND {phrase}",
            media.directive_pdf(
                {
                    "type_label": label, "reference": ref, "issuer": issuer.name,
                    "issue_date": date, "summary": summary,
                    "text": [f"{issuer.name} ban hành {label.lower()} số {ref} ngày "
                             f"{date:%d/%m/%Y}.", summary],
                    "signer": signer, "signer_title": "Chủ tịch",
                }
            ),
            f"{slug}.pdf",
            collection=collection,
        )  # fmt: skip
        _child(
            register, DirectivePage, slug,
            title=title, doc_type=doc_type, reference=ref, issuer=issuer, signer=signer,
            signer_title="Chủ tịch", issue_date=date, effective_date=date, summary=summary,
            document=document,
        )  # fmt: skip


# A commune's week (weekday, hour, title, place): on its own site's schedule.
COMMUNE_MEETINGS_WEEKLY = [
    (0, 7, "Giao ban Ban Chỉ đạo phòng, chống dịch {unit}", "Hội trường UBND {unit}"),
    (2, 14, "Kiểm tra các điểm kiểm dịch và chợ trên địa bàn", "Các thôn, khu phố"),
]


def load_commune_meetings(site, phrase):
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    for weekday, hour, title, place in COMMUNE_MEETINGS_WEEKLY:
        start = datetime.datetime.combine(
            monday + datetime.timedelta(days=weekday), datetime.time(hour), tzinfo=tz
        )
        Meeting.objects.get_or_create(
            site=site,
            start=start,
            title=title.format(unit=phrase),
            defaults={
                "chair": f"Chủ tịch UBND {phrase}",
                "place": place.format(unit=phrase),
                "end": start + TWO_HOURS,
                "preparation": f"Văn phòng UBND {phrase}",
            },
        )
