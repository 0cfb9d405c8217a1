"""Demo questions and feedback: some answered and published, one waiting for the sender, one
new and overdue, so the public list, the look-up and the desk's list show each state."""

import datetime
import uuid

from django.utils import timezone

from portal.core.models import AdministrativeUnit
from portal.eservices.models import ProcedureArea

from . import handling
from .models import Kind, Question

ORDER = 65

# (kind, field, title, content, answer or "", published)
ITEMS = [
    (
        Kind.QUESTION,
        "Hộ tịch",
        "Đăng ký khai sinh cho con khi bố mẹ chưa đăng ký kết hôn",
        "Tôi và chồng chưa đăng ký kết hôn, nay muốn làm giấy khai sinh cho con thì cần những giấy "
        "tờ gì và con có được mang họ bố không?",
        "Trường hợp cha mẹ chưa đăng ký kết hôn, khi đăng ký khai sinh cho con, người đi đăng ký "
        "nộp Tờ khai đăng ký khai sinh và Giấy chứng sinh. Nếu cha muốn nhận con thì làm thủ tục "
        "đăng ký khai sinh kết hợp nhận cha, con; khi đó con có thể mang họ cha theo thỏa thuận "
        "của cha mẹ.",
        True,
    ),
    (
        Kind.QUESTION,
        "Chứng thực",
        "Chứng thực bản sao có cần mang bản chính không?",
        "Khi chứng thực bản sao từ bản chính tại UBND xã, tôi có bắt buộc mang theo bản chính "
        "không hay chỉ cần bản photo?",
        "Có. Người yêu cầu chứng thực phải xuất trình bản chính giấy tờ để cán bộ đối chiếu; bản "
        "sao chỉ được chứng thực khi đúng với bản chính.",
        True,
    ),
    (
        Kind.FEEDBACK,
        "",
        "Đèn chiếu sáng đường trục thôn bị hỏng",
        "Đoạn đường trục thôn từ nhà văn hóa đến cầu máng có ba bóng đèn bị hỏng từ tháng trước, "
        "buổi tối đi lại rất nguy hiểm. Đề nghị xã sớm sửa chữa.",
        "UBND xã đã giao bộ phận địa chính – xây dựng kiểm tra và thay ba bóng đèn trong tuần này. "
        "Cảm ơn ông/bà đã phản ánh.",
        True,
    ),
    (
        Kind.QUESTION,
        "Hộ tịch",
        "Trích lục khai sinh bản sao cấp ở đâu?",
        "Tôi bị mất giấy khai sinh, muốn xin bản sao thì đến đâu?",
        "",
        False,
    ),
]


def load(ctx):
    if Question.objects.exists():
        return
    site = ctx.get("site")
    unit_sites = list(ctx.get("unit_sites", {}).items())
    commune_site, commune = None, None
    if unit_sites:
        code, commune_site = unit_sites[0]
        commune = AdministrativeUnit.objects.get(code=code)
    officer = ctx.get("demo_users", {}).get("motcua") or ctx.get("admin")
    areas = {a.name: a for a in ProcedureArea.objects.all()}
    for n, (kind, area, title, content, answer, published) in enumerate(ITEMS):
        on_commune = commune_site is not None and kind == Kind.FEEDBACK
        question, _created = handling.submit_question(
            {
                "kind": kind,
                "area": areas.get(area),
                "unit": commune if on_commune else None,
                "title": title,
                "content": content,
                "name": "Nguyễn Văn An",
                "phone": f"091234{5670 + n:04d}",
                "email": "",
                "publish_allowed": True,
            },
            [],
            str(uuid.UUID(int=2021 + n)),
            "Đồng ý (dữ liệu mẫu)",
            site=commune_site.site if on_commune else site,
        )
        if answer:
            handling.apply_action(question, handling.ASSIGN, {"note": ""}, officer)
            handling.apply_action(
                question, handling.ANSWER, {"answer": answer, "answered_by": "UBND"}, officer
            )
            if published:
                handling.set_published(question, True, officer)
    # One overdue item for the desk's dashboard.
    late = Question.objects.filter(answer="").order_by("pk").last()
    if late is not None:
        late.submitted_at = timezone.now() - datetime.timedelta(days=30)
        late.due_date = timezone.localdate() - datetime.timedelta(days=5)
        late.save(update_fields=["submitted_at", "due_date"])
