"""The unit's report as an administrative document (Decree 30/2020/NĐ-CP, Appendix I): DOCX to
edit (python-docx) and PDF to read (reportlab).

The document is always Vietnamese: it is a state document, whatever the admin's language. Its fixed
parts (Quốc hiệu, Tiêu ngữ, "Kính gửi", "Nơi nhận") are the decree's words; the text around the
figures is the unit's ``ReportTemplate``; the appendix traces every figure to its query.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.template import engines
from django.utils import timezone, translation

from portal.core.display import document_date, place_and_date
from portal.core.text import nfc

from .statistics import Table, UnitStatistics, sites_rolled_up, statistics_for

NATIONAL_TITLE = "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOC_TITLE = "BÁO CÁO"
FONT_NAME = "Times New Roman"


@dataclass
class Block:
    kind: str  # heading | paragraph | table
    text: str = ""
    table: Table | None = None


@dataclass
class Report:
    governing_body: str
    issuing_body: str
    number: str
    place_date: str
    subject: str
    recipients: list[str]
    blocks: list[Block]
    copies_to: list[str]
    signing_for: str
    signer_title: str
    signer_name: str
    stats: UnitStatistics
    appendix: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Every paragraph's text, in order (for tests and previews)."""
        return "\n".join(b.text for b in self.blocks if b.kind != "table")


# Names --------------------------------------------------------------------------------------


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _type_word(unit) -> str:
    """ "Huyện" of "Huyện Vĩnh Lộc"."""
    full = unit.name_with_type or unit.name
    return full[: len(full) - len(unit.name)].strip() if full.endswith(unit.name) else full


@dataclass
class DirectiveText:
    """A directive of the register as the report's sentences cite it."""

    type_name: str
    reference: str
    issue_date: datetime.date
    issuer: str
    summary: str

    @property
    def issued(self) -> str:
        return f"{self.issue_date.day:02d}/{self.issue_date.month}/{self.issue_date.year}"

    @property
    def issued_long(self) -> str:
        return document_date(self.issue_date).removeprefix("ngày ")

    @property
    def summary_lower(self) -> str:
        return _lower_first(self.summary.strip().rstrip("."))


def _names(site, stats):
    from portal.core.sites import settings_for_site, unit_for_site
    from portal.core.text import fold

    unit = unit_for_site(site)
    organisation = settings_for_site(site).organisation_name if site else ""
    if unit is None:
        name = organisation or stats.site_name
        return {
            "unit": None,
            "issuing_body_full": name,
            "issuing_body": name,
            "unit_short": name,
            "unit_name": name,
            "parent_body": "",
            "governing_body": "",
            "area": "",
            "place": "",
        }
    parent = unit.parent
    kind = _type_word(unit)
    issuing = organisation or f"Ủy ban nhân dân {_lower_first(unit.display_name)}"
    parent_body = f"UBND {_lower_first(parent.display_name)}" if parent else ""
    return {
        "unit": unit,
        "issuing_body_full": issuing,
        "issuing_body": f"UBND {_lower_first(unit.display_name)}",
        "unit_short": f"UBND {kind.lower()}",
        "unit_name": _lower_first(unit.display_name),
        "parent_body": parent_body,
        "governing_body": parent_body,
        "area": kind.lower(),
        "place": unit.name,
        "parent_folded": fold(parent.display_name).lower() if parent else None,
    }


def issuing_site(sites):
    """The site whose unit issues a report on ``sites``: the one site; else the picked site
    whose roll-up holds every other; else the nearest site above them all (two communes: their
    district); else the parent site."""
    from portal.core.sites import default_site, parent_site

    if len(sites) == 1:
        return sites[0]
    wanted = {site.pk for site in sites}
    for site in sites:
        if wanted <= {found.pk for found in sites_rolled_up(site)}:
            return site
    above, seen = parent_site(sites[0]), set()
    while above is not None and above.pk not in seen:
        if wanted <= {found.pk for found in sites_rolled_up(above)}:
            return above
        seen.add(above.pk)
        above = parent_site(above)
    return default_site() or sites[0]


def _directive_texts(entries):
    return [
        DirectiveText(d.type_name, d.reference, d.issue_date, d.issuer, d.summary) for d in entries
    ]


# Building -----------------------------------------------------------------------------------


def _render(source: str, context: dict) -> str:
    template = engines["django"].from_string(
        "{% autoescape off %}" + source + "{% endautoescape %}"
    )
    return nfc(template.render(context))


def _blocks(text: str, stats: UnitStatistics) -> list[Block]:
    blocks = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("[[table ") and line.endswith("]]"):
            table = stats.tables.get(line[8:-2].strip())
            if table is not None:
                blocks.append(Block("table", table.label, table))
        elif line.startswith("## "):
            blocks.append(Block("heading", line[3:].strip()))
        else:
            blocks.append(Block("paragraph", line))
    return blocks


def build_report(site, date_from, date_to, template, issued_on=None, progress=None) -> Report:
    """The report of ``site`` (a site, or a list of sites: several units at once) for
    [date_from, date_to] written with ``template``; ``progress(done, total)`` follows the
    statistics (statistics.statistics_for). Several units are reported on by the unit above
    them (``issuing_site``); the template sees each one's figures in ``units``."""
    from portal.core.text import fold

    sites = list(site) if isinstance(site, list | tuple) else [site]
    site = issuing_site(sites)
    with translation.override("vi"):
        stats = statistics_for(sites, date_from, date_to, progress)
        names = _names(site, stats)
        if len(stats.site_ids) > 1:
            names["unit_name"] = ", ".join(_lower_first(part.unit_name) for part in stats.units)
        parent_folded = names.pop("parent_folded", None)
        implements = [
            d
            for d in stats.directives
            if not d.own and parent_folded and parent_folded in fold(d.issuer).lower()
        ]
        context = {
            **names,
            "stats": stats,
            "f": stats.figures,
            "units": stats.units,
            "directives": _directive_texts(stats.directives),
            "own_directives": _directive_texts(stats.own_directives),
            "implements": _directive_texts(implements),
            "date_from": date_from,
            "date_to": date_to,
        }
        issued_on = issued_on or timezone.localdate()
        place = names["place"]
        appendix = [
            (str(n), figure.label, f"{figure.display} {figure.unit}".strip(), figure.query)
            for n, figure in enumerate(stats.figures.values(), start=1)
        ]
        appendix += [
            (f"B{n}", table.label, "bảng", table.query)
            for n, table in enumerate(stats.tables.values(), start=1)
        ]
        return Report(
            governing_body=names["governing_body"].upper(),
            issuing_body=names["issuing_body_full"].upper(),
            number=f"Số:        /BC-{template.symbol}",
            place_date=place_and_date(place, issued_on),
            subject=_render(template.title, context).strip(),
            recipients=[
                line.strip()
                for line in _render(template.recipients, context).splitlines()
                if line.strip()
            ],
            blocks=_blocks(_render(template.body, context), stats),
            copies_to=[
                line.strip()
                for line in _render(template.copies_to, context).splitlines()
                if line.strip()
            ],
            signing_for=nfc(template.signing_for).upper(),
            signer_title=nfc(template.signer_title).upper(),
            signer_name=nfc(template.signer_name),
            stats=stats,
            appendix=appendix,
        )


def _cell(value) -> str:
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


# DOCX ---------------------------------------------------------------------------------------


def _docx_font(run, size, bold=False, italic=False):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT_NAME
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT_NAME)


def _docx_para(container, text, size=14, bold=False, italic=False, align="center", **fmt):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    para = container.add_paragraph()
    para.alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    pf = para.paragraph_format
    pf.space_before = Pt(fmt.get("before", 0))
    pf.space_after = Pt(fmt.get("after", 0))
    if fmt.get("indent"):
        pf.first_line_indent = Cm(fmt["indent"])
    if fmt.get("line"):
        pf.line_spacing = fmt["line"]
    if text:
        _docx_font(para.add_run(text), size, bold, italic)
    return para


def _docx_rule(para, width_cm):
    """A short line under a paragraph (under the issuing body, the motto and the subject)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    para.paragraph_format.left_indent = Cm(0)
    ppr = para._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.append(border)
    return para, width_cm


def _docx_short_rule(container, width_cm, column_cm):
    from docx.shared import Cm

    para = _docx_para(container, "", 4)
    side = max(0.0, (column_cm - width_cm) / 2)
    para.paragraph_format.left_indent = Cm(side)
    para.paragraph_format.right_indent = Cm(side)
    _docx_rule(para, width_cm)


def _docx_no_borders(table):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _docx_data_table(doc, table: Table, size=12):
    from docx.shared import Pt

    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    for cell, label in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = ""
        _docx_font(cell.paragraphs[0].add_run(label), size, bold=True)
    rows = table.rows or [["–"] + [""] * (len(table.columns) - 1)]
    for row in rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            _docx_font(cell.paragraphs[0].add_run(_cell(value)), size)
    _docx_para(doc, "", 6).paragraph_format.space_after = Pt(6)
    return grid


def render_docx(report: Report) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = docx.Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(14)
    doc.core_properties.title = f"{DOC_TITLE} {report.subject}"
    doc.core_properties.author = report.issuing_body

    # Heading: the issuing body on the left, the national title and the motto on the right.
    left_w, right_w = 6.5, 10.0
    head = doc.add_table(rows=2, cols=2)
    _docx_no_borders(head)
    head.autofit = False
    for row in head.rows:
        row.cells[0].width, row.cells[1].width = Cm(left_w), Cm(right_w)
    left, right = head.rows[0].cells
    left.paragraphs[0].text = ""
    if report.governing_body:
        _docx_font(left.paragraphs[0].add_run(report.governing_body), 13)
        left.paragraphs[0].alignment = 1
        _docx_para(left, report.issuing_body, 13, bold=True)
    else:
        _docx_font(left.paragraphs[0].add_run(report.issuing_body), 13, bold=True)
        left.paragraphs[0].alignment = 1
    _docx_short_rule(left, 2.5, left_w)
    _docx_font(right.paragraphs[0].add_run(NATIONAL_TITLE), 13, bold=True)
    right.paragraphs[0].alignment = 1
    _docx_para(right, MOTTO, 14, bold=True)
    _docx_short_rule(right, 5.5, right_w)
    number, place = head.rows[1].cells
    _docx_font(number.paragraphs[0].add_run(report.number), 13)
    number.paragraphs[0].alignment = 1
    _docx_font(place.paragraphs[0].add_run(report.place_date), 14, italic=True)
    place.paragraphs[0].alignment = 1

    # Title, subject, recipients.
    _docx_para(doc, DOC_TITLE, 14, bold=True, before=18)
    _docx_para(doc, report.subject, 14, bold=True)
    _docx_short_rule(doc, 3.0, 16.5)
    for i, recipient in enumerate(report.recipients):
        prefix = "Kính gửi: " if i == 0 else ""
        _docx_para(doc, prefix + recipient, 14, before=12 if i == 0 else 0, after=6)

    for block in report.blocks:
        if block.kind == "heading":
            _docx_para(doc, block.text, 14, bold=True, align="justify", indent=1, before=6, after=6)
        elif block.kind == "table":
            _docx_para(doc, block.text, 13, italic=True, align="left", after=3)
            _docx_data_table(doc, block.table)
        else:
            _docx_para(doc, block.text, 14, align="justify", indent=1, after=6, line=1.15)

    # Footer: "Nơi nhận" on the left, the signature on the right.
    foot = doc.add_table(rows=1, cols=2)
    _docx_no_borders(foot)
    foot.autofit = False
    copies, sign = foot.rows[0].cells
    copies.width, sign.width = Cm(left_w + 1.5), Cm(right_w - 1.5)
    _docx_font(copies.paragraphs[0].add_run("Nơi nhận:"), 12, bold=True, italic=True)
    for line in report.copies_to:
        _docx_para(copies, f"- {line}", 11, align="left")
    sign.paragraphs[0].alignment = 1
    first = True
    for line in (report.signing_for, report.signer_title):
        if line:
            para = sign.paragraphs[0] if first else _docx_para(sign, "", 14, bold=True)
            _docx_font(para.add_run(line), 14, bold=True)
            first = False
    for _ in range(4):
        _docx_para(sign, "", 14)
    _docx_para(sign, report.signer_name, 14, bold=True)

    # Appendix: where each figure comes from.
    doc.add_page_break()
    _docx_para(doc, "PHỤ LỤC", 14, bold=True)
    _docx_para(doc, "Nguồn và cách tính số liệu trong báo cáo", 14, bold=True)
    _docx_para(
        doc,
        f"(Kèm theo Báo cáo của {report.issuing_body.title()}; số liệu từ cơ sở dữ liệu của "
        f"cổng thông tin, từ ngày {report.stats.date_from:%d/%m/%Y} đến ngày "
        f"{report.stats.date_to:%d/%m/%Y})",
        13,
        italic=True,
        after=6,
    )
    grid = doc.add_table(rows=1, cols=4)
    grid.style = "Table Grid"
    for cell, label in zip(
        grid.rows[0].cells, ("STT", "Chỉ tiêu", "Số liệu", "Truy vấn"), strict=True
    ):
        _docx_font(cell.paragraphs[0].add_run(label), 12, bold=True)
    for row in report.appendix:
        cells = grid.add_row().cells
        for n, (cell, value) in enumerate(zip(cells, row, strict=True)):
            _docx_font(cell.paragraphs[0].add_run(value), 10 if n == 3 else 12)
    for row in grid.rows:
        for cell, width in zip(row.cells, (1.2, 5.0, 2.3, 8.0), strict=True):
            cell.width = Cm(width)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# PDF ----------------------------------------------------------------------------------------

# Serif faces with full Vietnamese coverage, first found wins: Liberation Serif 2 (Times New
# Roman's metrics; Debian fonts-liberation2 — version 1 lacks Vietnamese), DejaVu Serif (Debian
# fonts-dejavu-core and -extra). Without one, the portal's embedded Be Vietnam Pro.
SERIF_FACES = [
    (
        Path("/usr/share/fonts/truetype/liberation2"),
        ("LiberationSerif-Regular", "LiberationSerif-Bold", "LiberationSerif-Italic",
         "LiberationSerif-BoldItalic"),
    ),
    (
        Path("/usr/share/fonts/truetype/liberation"),
        ("LiberationSerif-Regular", "LiberationSerif-Bold", "LiberationSerif-Italic",
         "LiberationSerif-BoldItalic"),
    ),
    (
        Path("/usr/share/fonts/truetype/dejavu"),
        ("DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic", "DejaVuSerif-BoldItalic"),
    ),
]  # fmt: skip
VIETNAMESE_SAMPLE = "ẠặẦẪỈỘỨỰỮỹđĐơƠưƯ"


@cache
def _pdf_fonts() -> tuple[str, str, str, str]:
    """The PDF's regular, bold, italic and bold italic font names, registered with reportlab."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    names = ("ReportSerif", "ReportSerif-Bold", "ReportSerif-Italic", "ReportSerif-BoldItalic")
    for folder, files in SERIF_FACES:
        paths = [folder / f"{name}.ttf" for name in files]
        if not all(path.exists() for path in paths):
            continue
        fonts = [TTFont(name, str(path)) for name, path in zip(names, paths, strict=True)]
        if any(ord(c) not in f.face.charToGlyph for f in fonts for c in VIETNAMESE_SAMPLE):
            continue
        for font in fonts:
            pdfmetrics.registerFont(font)
        for (bold, italic), name in zip(((0, 0), (1, 0), (0, 1), (1, 1)), names, strict=True):
            addMapping(names[0], bold, italic, name)
        return names
    from portal.core.pdf import FONT, FONT_BOLD, FONT_ITALIC, register_fonts

    register_fonts()
    return FONT, FONT_BOLD, FONT_ITALIC, "BeVietnamPro-BoldItalic"


def render_pdf(report: Report) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        HRFlowable,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        TableStyle,
    )
    from reportlab.platypus import (
        Table as PdfTable,
    )

    regular, bold, italic, bold_italic = _pdf_fonts()

    def style(size=14, font=regular, align=TA_CENTER, **kw):
        return ParagraphStyle(
            f"s{size}{font}{align}{sorted(kw.items())}",
            fontName=font,
            fontSize=size,
            leading=kw.pop("leading", size * 1.25),
            alignment=align,
            **kw,
        )

    def p(text, st):
        # Runs of spaces stay (the blank of "Số:        /BC-UBND" is where the number goes).
        text = re.sub(r" {2,}", lambda m: "\u00a0" * len(m.group()), nfc(text))
        return Paragraph(escape(text), st)

    left_w, right_w = 6.5 * cm, 10.0 * cm

    def fitting(text, font, size, width):
        """The size (at most ``size``, down to 11) at which ``text`` fits on one line."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        while size > 11 and stringWidth(nfc(text), font, size) > width - 4:
            size -= 0.5
        return size

    left = []
    if report.governing_body:
        left.append(
            p(report.governing_body, style(fitting(report.governing_body, regular, 13, left_w)))
        )
    left += [
        p(report.issuing_body, style(fitting(report.issuing_body, bold, 13, left_w), bold)),
        HRFlowable(width=2.5 * cm, thickness=0.6, color=colors.black, spaceBefore=1, spaceAfter=6),
        p(report.number, style(13)),
    ]
    right = [
        p(NATIONAL_TITLE, style(fitting(NATIONAL_TITLE, bold, 13, right_w), bold)),
        p(MOTTO, style(14, bold)),
        HRFlowable(width=5.5 * cm, thickness=0.6, color=colors.black, spaceBefore=1, spaceAfter=6),
        p(report.place_date, style(14, italic)),
    ]
    plain = TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    story = [PdfTable([[left, right]], colWidths=[left_w, right_w], style=plain)]
    story += [
        Spacer(1, 0.6 * cm),
        p(DOC_TITLE, style(14, bold)),
        p(report.subject, style(14, bold)),
        HRFlowable(width=3 * cm, thickness=0.6, color=colors.black, spaceBefore=6, spaceAfter=10),
    ]
    for i, recipient in enumerate(report.recipients):
        story.append(p(("Kính gửi: " if i == 0 else "") + recipient, style(14, spaceAfter=6)))
    story.append(Spacer(1, 0.2 * cm))
    body = style(14, align=TA_JUSTIFY, firstLineIndent=1 * cm, spaceAfter=6, leading=17.5)
    heading = style(14, bold, TA_JUSTIFY, firstLineIndent=1 * cm, spaceBefore=4, spaceAfter=6)
    cell = style(11.5, align=TA_LEFT, leading=14)
    cell_bold = style(11.5, bold, TA_LEFT, leading=14)
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    for block in report.blocks:
        if block.kind == "heading":
            story.append(p(block.text, heading))
        elif block.kind == "table":
            story.append(p(block.text, style(13, italic, TA_LEFT, spaceAfter=3)))
            rows = block.table.rows or [["–"] + [""] * (len(block.table.columns) - 1)]
            data = [[p(c, cell_bold) for c in block.table.columns]]
            data += [[p(_cell(v), cell) for v in row] for row in rows]
            story += [PdfTable(data, repeatRows=1, style=grid, hAlign="LEFT"), Spacer(1, 8)]
        else:
            story.append(p(block.text, body))
    copies = [p("Nơi nhận:", style(12, bold_italic, TA_LEFT))]
    copies += [p(f"- {line}", style(11, align=TA_LEFT, leading=13)) for line in report.copies_to]
    sign = [p(line, style(14, bold)) for line in (report.signing_for, report.signer_title) if line]
    sign += [Spacer(1, 2.2 * cm), p(report.signer_name, style(14, bold))]
    story += [
        Spacer(1, 0.3 * cm),
        PdfTable([[copies, sign]], colWidths=[left_w + 1.5 * cm, right_w - 1.5 * cm], style=plain),
    ]
    story += [
        PageBreak(),
        p("PHỤ LỤC", style(14, bold)),
        p("Nguồn và cách tính số liệu trong báo cáo", style(14, bold)),
        p(
            f"(Kèm theo Báo cáo của {report.issuing_body.title()}; số liệu từ cơ sở dữ liệu của "
            f"cổng thông tin, từ ngày {report.stats.date_from:%d/%m/%Y} đến ngày "
            f"{report.stats.date_to:%d/%m/%Y})",
            style(13, italic, spaceAfter=8),
        ),
    ]
    small = style(9, align=TA_LEFT, leading=11)
    data = [[p(c, cell_bold) for c in ("STT", "Chỉ tiêu", "Số liệu", "Truy vấn")]]
    data += [
        [p(n, cell), p(label, cell), p(value, cell), p(query, small)]
        for n, label, value, query in report.appendix
    ]
    story.append(
        PdfTable(data, colWidths=[1.1 * cm, 5 * cm, 2.4 * cm, 8 * cm], repeatRows=1, style=grid)
    )

    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        leftMargin=3 * cm,
        rightMargin=1.5 * cm,
        title=nfc(f"{DOC_TITLE} {report.subject}"),
        author=nfc(report.issuing_body),
    ).build(story)
    return out.getvalue()


def render(report: Report, kind: str) -> bytes:
    if kind == "docx":
        return render_docx(report)
    if kind == "pdf":
        return render_pdf(report)
    raise ValueError(f"unknown format {kind!r}")
