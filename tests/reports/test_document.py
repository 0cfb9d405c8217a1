"""The report as a Decree 30 document: DOCX read back with python-docx, PDF read back with
the PDF reader; the figures in the text are those the statistics count."""

import datetime
import io

import docx
import pytest
from pypdf import PdfReader

from portal.core.display import document_date as vn_date
from portal.reports.document import build_report, render_docx, render_pdf
from portal.reports.models import ReportTemplate

from .conftest import DATE_FROM, DATE_TO

pytestmark = pytest.mark.django_db

SEED = "ung-dung-cntt-phong-chong-covid"
ISSUED = datetime.date(2021, 9, 8)


@pytest.fixture
def report(world):
    template = ReportTemplate.for_site(world["district_site"], SEED)
    template.signer_name = "Lê Văn Tiến"
    return build_report(world["district_site"], DATE_FROM, DATE_TO, template, ISSUED)


def docx_text(data):
    import io

    doc = docx.Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return doc, "\n".join(parts)


def test_the_seed_template_ships_with_the_migrations(db):
    template = ReportTemplate.objects.get(site=None, name=SEED)
    assert "## 1. Công tác chỉ đạo" in template.body
    assert "## 2. Kết quả thực hiện" in template.body


def test_dates_are_written_as_decree_30_says():
    assert vn_date(datetime.date(2021, 9, 8)) == "ngày 08 tháng 9 năm 2021"
    assert vn_date(datetime.date(2021, 2, 15)) == "ngày 15 tháng 02 năm 2021"
    assert vn_date(datetime.date(2021, 12, 1)) == "ngày 01 tháng 12 năm 2021"


def test_the_report_has_the_parts_of_an_administrative_document(report):
    assert report.governing_body == "UBND TỈNH THANH HÓA"
    assert report.issuing_body == "ỦY BAN NHÂN DÂN HUYỆN VĨNH LỘC"
    assert report.number == "Số:        /BC-UBND"
    assert report.place_date == "Vĩnh Lộc, ngày 08 tháng 9 năm 2021"
    assert report.recipients == ["UBND tỉnh Thanh Hóa;"]
    headings = [b.text for b in report.blocks if b.kind == "heading"]
    assert headings == ["1. Công tác chỉ đạo", "2. Kết quả thực hiện"]
    assert report.copies_to[0] == "Như trên;"
    assert (report.signing_for, report.signer_title) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")


def test_directives_of_the_period_fill_the_first_section(report):
    text = report.text
    assert "Thực hiện Công văn số 13341/UBND-CNTT ngày 03 tháng 9 năm 2021 của UBND tỉnh" in text
    assert (
        "UBND huyện ban hành Công văn số 2163/UBND-VHTT, ngày 01/9/2021 về việc cv-2163; "
        "Công văn số 15/UBND, ngày 02/9/2021 về việc cv-xa." in text
    )
    assert "2184/UBND-VHTT" not in text  # issued after the period


def test_the_figures_in_the_text_are_the_counted_rows(report):
    text = report.text
    assert "có 5 điểm kiểm dịch đã đăng ký" in text
    assert "ghi nhận 9 lượt ra, vào: 5 lượt người dân tự quét mã QR, 3 lượt khai" in text
    assert "1 lượt cán bộ quét mã QR cá nhân" in text
    assert "có 4 tờ khai y tế điện tử và 3 tờ khai giấy" in text
    assert "tiếp nhận 4 hồ sơ trực tuyến; giải quyết 2 hồ sơ" in text
    assert "bình quân 3,5 ngày làm việc" in text
    assert "đăng 3 tin, bài" in text
    assert [b.table.key for b in report.blocks if b.kind == "table"] == [
        "checkins_per_day",
        "declarations_per_day",
        "dossiers_per_procedure",
    ]


def test_docx_in_times_new_roman_with_every_part(report):
    doc, text = docx_text(render_docx(report))
    for part in (
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN HUYỆN VĨNH LỘC",
        "Số:        /BC-UBND",
        "Vĩnh Lộc, ngày 08 tháng 9 năm 2021",
        "BÁO CÁO",
        "Kính gửi: UBND tỉnh Thanh Hóa;",
        "1. Công tác chỉ đạo",
        "2. Kết quả thực hiện",
        "Nơi nhận:",
        "- Như trên;",
        "CHỦ TỊCH",
        "Lê Văn Tiến",
        "PHỤ LỤC",
    ):
        assert part in text, part
    sizes = set()
    for para in doc.paragraphs:
        for run in para.runs:
            if not run.text:
                continue  # the page break before the appendix
            assert run.font.name == "Times New Roman"
            sizes.add(run.font.size.pt)
    assert {13.0, 14.0} <= sizes
    assert max(sizes) == 14.0
    # The national title sits top right, the issuing body top left, in the heading table.
    heading = doc.tables[0]
    assert "CỘNG HOÀ" in heading.cell(0, 1).text and "VĨNH LỘC" in heading.cell(0, 0).text
    # The appendix traces each figure to its query.
    appendix = doc.tables[-1]
    values = {row.cells[1].text: row.cells[2].text for row in appendix.rows}
    assert values["Lượt ra/vào"] == "9"
    queries = [row.cells[3].text for row in appendix.rows[1:]]
    assert len(queries) == len(report.stats.figures) + len(report.stats.tables)
    assert any(q.startswith("CheckIn: checkpoint.commune_id") for q in queries)


def test_pdf_reads_back_in_vietnamese(report):
    pages = PdfReader(io.BytesIO(render_pdf(report))).pages
    flat = " ".join(" ".join(page.extract_text() for page in pages).split())
    text = "\n".join(page.extract_text(extraction_mode="layout") for page in pages)
    for part in (
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN HUYỆN VĨNH LỘC",
        "BÁO CÁO",
        "Kính gửi: UBND tỉnh Thanh Hóa;",
        "1. Công tác chỉ đạo",
        "có 5 điểm kiểm dịch đã đăng ký",
        "Nơi nhận:",
        "Lê Văn Tiến",
        "PHỤ LỤC",
    ):
        assert part in flat, part
    # Top of the first page: the issuing body left of the national title, on the same line.
    first = next(line for line in text.splitlines() if "CỘNG HOÀ" in line)
    assert first.index("UBND TỈNH THANH HÓA") < first.index("CỘNG HOÀ")


def test_a_flushed_database_gets_the_seed_template_back_after_migrate(db):
    from django.core.management import call_command

    ReportTemplate.objects.all().delete()
    call_command("migrate", "reports", verbosity=0)
    assert ReportTemplate.objects.filter(site=None, name=SEED).exists()
