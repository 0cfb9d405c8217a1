"""``manage.py unit_report`` writes the report of a site for a period as DOCX or PDF."""

import io

import docx
import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

pytestmark = pytest.mark.django_db

SEED = "ung-dung-cntt-phong-chong-covid"


def run(tmp_path, name, **kw):
    args = {
        "site": "xa-a.localhost",
        "date_from": "2021-09-01",
        "date_to": "2021-09-03",
        "template": SEED,
        "out": str(tmp_path / name),
        "date": "2021-09-08",
        **kw,
    }
    call_command("unit_report", verbosity=0, **args)
    return (tmp_path / name).read_bytes()


def test_writes_the_communes_report_as_docx(world, tmp_path):
    data = run(tmp_path, "bao-cao.docx", signer="Nguyễn Văn Bình")
    doc = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    a = world["a"]
    assert f"ỦY BAN NHÂN DÂN {a.display_name.upper()}" in cells
    assert f"{a.name}, ngày 08 tháng 9 năm 2021" in cells
    assert "Nguyễn Văn Bình" in cells
    assert "có 3 điểm kiểm dịch đã đăng ký" in text  # commune A's own rows
    assert "ghi nhận 6 lượt ra, vào" in text


def test_writes_the_districts_report_as_pdf(world, tmp_path):
    data = run(tmp_path, "bao-cao.pdf", site="localhost")
    assert data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    flat = " ".join(text.split())
    assert "BÁO CÁO" in flat
    assert "ghi nhận 9 lượt ra, vào" in flat


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"out": "bao-cao.txt"}, ".docx or .pdf"),
        ({"site": "khong-co.localhost"}, "No site with host"),
        ({"template": "khong-co"}, "No template 'khong-co'"),
        ({"date_from": "2021-09-05"}, "--to is before --from"),
        ({"date_to": "3/9/2021"}, "Not a date"),
    ],
)
def test_refuses_what_it_cannot_write(world, tmp_path, change, message):
    name = change.pop("out", "x.docx")
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        run(tmp_path, name, **change)
