"""CSV and XLSX exports whose cells a spreadsheet can never read as formulas (the Luca lesson)."""

import csv
import io

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

from portal.core.spreadsheets import safe_text


def to_csv(header, rows) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([safe_text(h) for h in header])
    for row in rows:
        writer.writerow([safe_text(v) for v in row])
    # A byte-order mark so that Excel opens Vietnamese text as UTF-8.
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(header, rows, title="Truy vet") -> bytes:
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = title[:31]
    for r, row in enumerate([header, *rows], start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            cell.value = safe_text(value)
            # Written as a plain string even if it looked like a formula: never evaluated.
            cell.data_type = TYPE_STRING
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
