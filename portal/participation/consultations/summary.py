"""The summary of a consultation for the drafting agency (báo cáo tổng hợp ý kiến góp ý): the
approved comments grouped by section with their counts, as a DOCX in the style of Decree 30
(portal.reports.document) and as an XLSX. No name or contact is in either: the agency reads what
was said, not who said it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.utils import timezone

from portal.core.display import place_and_date
from portal.core.spreadsheets import safe_cell
from portal.core.text import nfc

from .models import CommentStatus, DraftPage

WHOLE_DRAFT = "Toàn bộ dự thảo"


@dataclass
class Group:
    heading: str
    comments: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.comments)


@dataclass
class Summary:
    draft: DraftPage
    groups: list[Group]
    pending: int
    rejected: int
    made_at: object

    @property
    def approved(self) -> int:
        return sum(g.count for g in self.groups)

    @property
    def closed(self) -> bool:
        return self.made_at >= self.draft.closes_at


def build_summary(draft: DraftPage, now=None) -> Summary:
    """The whole draft first, then each section in the draft's order (sections deleted since
    the comment was sent come last, under the heading they had)."""
    comments = list(draft.comments.order_by("created_at", "pk"))
    groups = {None: Group(WHOLE_DRAFT)}
    for section in draft.sections.all():
        groups[("section", section.pk)] = Group(section.heading)
    pending = rejected = 0
    for comment in comments:
        if comment.status == CommentStatus.PENDING:
            pending += 1
            continue
        if comment.status == CommentStatus.REJECTED:
            rejected += 1
            continue
        if comment.section_id is not None and ("section", comment.section_id) in groups:
            key = ("section", comment.section_id)
        elif comment.section_heading:
            key = ("gone", comment.section_heading)
            groups.setdefault(key, Group(comment.section_heading))
        else:
            key = None
        groups[key].comments.append(comment)
    return Summary(draft, list(groups.values()), pending, rejected, now or timezone.now())


def _when(value) -> str:
    return timezone.localtime(value).strftime("%H:%M ngày %d/%m/%Y")


def _issuing_body(draft) -> tuple[str, str, str]:
    """(governing body, issuing body, place) of the site the draft is on, as a report's
    heading writes them."""
    from portal.core.sites import settings_for_site, unit_for_site

    site = draft.get_site()
    unit = unit_for_site(site) if site else None
    organisation = settings_for_site(site).organisation_name if site else ""
    if unit is None:
        return "", organisation or (site.site_name if site else ""), ""
    name = unit.display_name
    issuing = organisation or f"Ủy ban nhân dân {name[:1].lower()}{name[1:]}"
    parent = unit.parent
    governing = f"UBND {parent.display_name[:1].lower()}{parent.display_name[1:]}" if parent else ""
    return governing, issuing, unit.name


def filename(summary: Summary, extension: str) -> str:
    return f"tong-hop-y-kien-{summary.draft.slug}-{summary.made_at:%Y%m%d}.{extension}"


# DOCX ---------------------------------------------------------------------------------------


def render_docx(summary: Summary) -> bytes:
    import docx
    from docx.shared import Cm, Pt

    from portal.reports.document import (
        FONT_NAME,
        MOTTO,
        NATIONAL_TITLE,
    )
    from portal.reports.document import _docx_font as font
    from portal.reports.document import _docx_no_borders as no_borders
    from portal.reports.document import _docx_para as para
    from portal.reports.document import _docx_short_rule as short_rule

    draft = summary.draft
    governing, issuing, place_name = _issuing_body(draft)
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(14)
    subject = nfc(f"Tổng hợp ý kiến góp ý đối với {draft.title}")
    doc.core_properties.title = subject
    doc.core_properties.author = issuing

    left_w, right_w = 6.5, 10.0
    head = doc.add_table(rows=2, cols=2)
    no_borders(head)
    head.autofit = False
    for row in head.rows:
        row.cells[0].width, row.cells[1].width = Cm(left_w), Cm(right_w)
    left, right = head.rows[0].cells
    if governing:
        font(left.paragraphs[0].add_run(governing), 13)
        left.paragraphs[0].alignment = 1
        para(left, issuing, 13, bold=True)
    else:
        font(left.paragraphs[0].add_run(issuing), 13, bold=True)
        left.paragraphs[0].alignment = 1
    short_rule(left, 2.5, left_w)
    font(right.paragraphs[0].add_run(NATIONAL_TITLE), 13, bold=True)
    right.paragraphs[0].alignment = 1
    para(right, MOTTO, 14, bold=True)
    short_rule(right, 5.5, right_w)
    number, place = head.rows[1].cells
    font(number.paragraphs[0].add_run("Số:      /BC"), 13)
    number.paragraphs[0].alignment = 1
    day = timezone.localtime(summary.made_at).date()
    dated = place_and_date(place_name, day)
    font(place.paragraphs[0].add_run(dated), 14, italic=True)
    place.paragraphs[0].alignment = 1

    para(doc, "BÁO CÁO", 14, bold=True, before=18)
    para(doc, subject, 14, bold=True)
    short_rule(doc, 3.0, 16.5)
    para(doc, f"Kính gửi: {draft.drafting_agency}", 14, before=12, after=6)

    state = "đã kết thúc" if summary.closed else "chưa kết thúc, số liệu tính đến thời điểm lập"
    para(doc, "I. TÌNH HÌNH LẤY Ý KIẾN", 14, bold=True, align="justify", indent=1, after=6)
    body = [
        f"Dự thảo được đăng trên cổng thông tin để lấy ý kiến từ {_when(draft.opens_at)} "
        f"đến {_when(draft.closes_at)} (thời gian lấy ý kiến {state}).",
        f"Số ý kiến được tổng hợp: {summary.approved}. Số ý kiến đang chờ duyệt: "
        f"{summary.pending}. Số ý kiến không đăng (trùng lặp, không liên quan hoặc vi phạm quy "
        f"định): {summary.rejected}.",
    ]
    for text in body:
        para(doc, nfc(text), 14, align="justify", indent=1, after=6, line=1.15)

    para(doc, "Số ý kiến theo từng phần của dự thảo:", 13, italic=True, align="left", after=3)
    grid = doc.add_table(rows=1, cols=3)
    grid.style = "Table Grid"
    for cell, label in zip(grid.rows[0].cells, ("STT", "Phần của dự thảo", "Số ý kiến"),
                           strict=True):  # fmt: skip
        font(cell.paragraphs[0].add_run(label), 12, bold=True)
    for n, group in enumerate(summary.groups, start=1):
        cells = grid.add_row().cells
        for cell, value in zip(cells, (str(n), nfc(group.heading), str(group.count)), strict=True):
            font(cell.paragraphs[0].add_run(value), 12)
    cells = grid.add_row().cells
    font(cells[1].paragraphs[0].add_run("Tổng cộng"), 12, bold=True)
    font(cells[2].paragraphs[0].add_run(str(summary.approved)), 12, bold=True)
    for row in grid.rows:
        for cell, width in zip(row.cells, (1.2, 12.0, 3.3), strict=True):
            cell.width = Cm(width)

    para(doc, "II. NỘI DUNG CÁC Ý KIẾN", 14, bold=True, align="justify", indent=1,
         before=12, after=6)  # fmt: skip
    for n, group in enumerate(summary.groups, start=1):
        para(doc, nfc(f"{n}. {group.heading} ({group.count} ý kiến)"), 14, bold=True,
             align="justify", indent=1, before=6, after=3)  # fmt: skip
        if not group.comments:
            para(doc, "Không có ý kiến.", 14, italic=True, align="justify", indent=1, after=6)
        for k, comment in enumerate(group.comments, start=1):
            day = timezone.localtime(comment.created_at).strftime("%d/%m/%Y")
            para(doc, nfc(f"- Ý kiến {k} (gửi ngày {day}): {comment.body}"), 14,
                 align="justify", indent=1, after=3, line=1.15)  # fmt: skip

    foot = doc.add_table(rows=1, cols=2)
    no_borders(foot)
    copies, sign = foot.rows[0].cells
    copies.width, sign.width = Cm(left_w + 1.5), Cm(right_w - 1.5)
    font(copies.paragraphs[0].add_run("Nơi nhận:"), 12, bold=True, italic=True)
    for line in ("Như trên;", "Lưu: VT."):
        para(copies, f"- {line}", 11, align="left")
    sign.paragraphs[0].alignment = 1
    font(sign.paragraphs[0].add_run("NGƯỜI LẬP BÁO CÁO"), 14, bold=True)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# XLSX ---------------------------------------------------------------------------------------


def render_xlsx(summary: Summary) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    counts = book.active
    counts.title = "Tổng hợp"
    counts.append([safe_cell(nfc(f"Tổng hợp ý kiến góp ý đối với {summary.draft.title}"))])
    counts.append([safe_cell(f"Cơ quan chủ trì soạn thảo: {summary.draft.drafting_agency}")])
    counts.append([f"Lấy ý kiến từ {_when(summary.draft.opens_at)} đến "
                   f"{_when(summary.draft.closes_at)}"])  # fmt: skip
    counts.append([])
    counts.append(["STT", "Phần của dự thảo", "Số ý kiến"])
    for n, group in enumerate(summary.groups, start=1):
        counts.append([n, safe_cell(nfc(group.heading)), group.count])
    counts.append([None, "Tổng cộng", summary.approved])
    counts.append([None, "Đang chờ duyệt (không tính)", summary.pending])
    counts.append([None, "Không đăng (không tính)", summary.rejected])
    counts["A1"].font = Font(bold=True)
    for cell in counts[5]:
        cell.font = Font(bold=True)
    counts.column_dimensions["B"].width = 60

    listing = book.create_sheet("Ý kiến")
    listing.append(["STT", "Phần của dự thảo", "Ngày gửi", "Nội dung ý kiến"])
    for cell in listing[1]:
        cell.font = Font(bold=True)
    n = 0
    for group in summary.groups:
        for comment in group.comments:
            n += 1
            listing.append([n, safe_cell(nfc(group.heading)),
                            timezone.localtime(comment.created_at).date(),
                            safe_cell(nfc(comment.body))])  # fmt: skip
            listing.cell(row=n + 1, column=3).number_format = "DD/MM/YYYY"
            listing.cell(row=n + 1, column=4).alignment = Alignment(wrap_text=True)
    listing.column_dimensions["B"].width = 40
    listing.column_dimensions["C"].width = 12
    listing.column_dimensions["D"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
