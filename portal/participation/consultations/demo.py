"""Demo content: the district site's "Lấy ý kiến dự thảo" section with one draft open for comment
(three sections, its file) and a few comments, approved and waiting. Idempotent."""

import datetime
import io

from django.utils import timezone
from wagtail.models import Page

from .models import Comment, CommentStatus, ConsultationIndexPage, DraftPage, DraftSection

ORDER = 70
SLUG = "quy-che-quan-ly-nghia-trang-nhan-dan"
TITLE = "Dự thảo Quy chế quản lý nghĩa trang nhân dân trên địa bàn huyện Vĩnh Lộc"
AGENCY = "Phòng Tài nguyên và Môi trường huyện Vĩnh Lộc"
SUMMARY = (
    "Quy chế quy định việc quản lý, sử dụng nghĩa trang nhân dân do Ủy ban nhân dân các xã, "
    "thị trấn quản lý; trách nhiệm của cơ quan, tổ chức, hộ gia đình và cá nhân có liên quan."
)
SECTIONS = [
    (
        "Chương I. Quy định chung",
        "<p><b>Điều 1. Phạm vi điều chỉnh.</b> Quy chế này quy định việc quản lý, sử dụng nghĩa "
        "trang nhân dân trên địa bàn huyện Vĩnh Lộc.</p><p><b>Điều 2. Đối tượng áp dụng.</b> Cơ "
        "quan, tổ chức, hộ gia đình và cá nhân có hoạt động liên quan đến nghĩa trang nhân dân "
        "trên địa bàn huyện.</p>",
    ),
    (
        "Chương II. Quản lý và sử dụng đất nghĩa trang",
        "<p><b>Điều 3. Quy hoạch nghĩa trang.</b> Mỗi xã, thị trấn bố trí nghĩa trang theo quy "
        "hoạch đã được phê duyệt; không an táng ngoài khu vực quy hoạch.</p><p><b>Điều 4. Diện "
        "tích phần mộ.</b> Diện tích sử dụng cho mỗi phần mộ hung táng không quá 5 m², mỗi phần "
        "mộ cát táng không quá 3 m².</p>",
    ),
    (
        "Chương III. Trách nhiệm thi hành",
        "<p><b>Điều 5. Trách nhiệm của Ủy ban nhân dân các xã, thị trấn.</b> Lập sổ theo dõi "
        "an táng, niêm yết công khai quy chế tại nhà văn hóa các thôn.</p>",
    ),
]
# (section number or None for the whole draft, comment, status, days after opening)
COMMENTS = [
    (1, "Đề nghị quy định rõ diện tích tối đa cho khu mộ gia đình, dòng họ đã có từ trước khi "
        "quy chế có hiệu lực.", CommentStatus.APPROVED, 1),
    (None, "Dự thảo cần bổ sung quy định về giờ mở cửa nghĩa trang và việc giữ gìn vệ sinh "
           "chung trong dịp Thanh minh.", CommentStatus.APPROVED, 2),
    (2, "Thôn tôi chưa được niêm yết quy chế cũ, đề nghị gửi bản giấy về từng thôn.",
     CommentStatus.PENDING, 3),
]  # fmt: skip


def _draft_file() -> bytes:
    import docx

    doc = docx.Document()
    doc.add_heading(TITLE, level=1)
    doc.add_paragraph(f"Cơ quan chủ trì soạn thảo: {AGENCY}")
    for heading, _body in SECTIONS:
        doc.add_heading(heading, level=2)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def load(ctx):
    site = ctx.get("site")
    if site is None:
        return
    home = Page.objects.get(pk=site.root_page_id)
    index = ConsultationIndexPage.objects.child_of(home).first()
    if index is None:
        now = timezone.now()
        index = ConsultationIndexPage(
            title="Lấy ý kiến dự thảo",
            slug="lay-y-kien-du-thao",
            intro="Dự thảo văn bản của huyện Vĩnh Lộc đang lấy ý kiến nhân dân.",
            show_in_menus=True,
            live=True,
            first_published_at=now,
            last_published_at=now,
        )
        home.add_child(instance=index)
    if DraftPage.objects.filter(slug=SLUG).exists():
        return
    from portal.news.demo_media import get_or_create_document

    document = get_or_create_document(
        "Dự thảo Quy chế quản lý nghĩa trang nhân dân", _draft_file(), "du-thao-quy-che.docx"
    )
    opens = timezone.now().replace(hour=7, minute=0, second=0, microsecond=0)
    opens -= datetime.timedelta(days=3)
    draft = DraftPage(
        title=TITLE,
        slug=SLUG,
        drafting_agency=AGENCY,
        summary=SUMMARY,
        document=document,
        opens_at=opens,
        closes_at=opens + datetime.timedelta(days=30, hours=10),
        live=True,
        first_published_at=opens,
        last_published_at=opens,
    )
    for order, (heading, body) in enumerate(SECTIONS):
        draft.sections.add(DraftSection(heading=heading, body=body, sort_order=order))
    index.add_child(instance=draft)
    draft.save_revision().publish()
    sections = list(draft.sections.all())
    for number, body, status, days in COMMENTS:
        section = sections[number - 1] if number else None
        comment = Comment.objects.create(
            page=draft,
            section=section,
            section_heading=section.heading if section else "",
            site=site,
            body=body,
            status=status,
        )
        Comment.objects.filter(pk=comment.pk).update(
            created_at=opens + datetime.timedelta(days=days, hours=2)
        )
