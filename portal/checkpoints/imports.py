"""Bulk import of checkpoints from CSV or XLSX, with a row-by-row report of what was refused.

Rows are checked one by one; good rows are saved even when others are refused, so nothing accepted
is lost and the report says exactly which rows to fix and why.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.core.models import AdministrativeUnit
from portal.core.scope import communes_for
from portal.core.text import clean_name, fold, nfc

from . import codes
from .models import Checkpoint

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
REQUIRED = ["ten", "ma_xa", "dia_chi"]
OPTIONAL = ["loai", "nguoi_phu_trach", "dien_thoai"]
ALIASES = {"xa": "ma_xa", "ten_diem": "ten", "so_dien_thoai": "dien_thoai", "sdt": "dien_thoai"}
KIND_WORDS = {
    "co quan": Checkpoint.Kind.OFFICE,
    "truong hoc": Checkpoint.Kind.SCHOOL,
    "truong": Checkpoint.Kind.SCHOOL,
    "cho": Checkpoint.Kind.MARKET,
    "co so y te": Checkpoint.Kind.HEALTH,
    "y te": Checkpoint.Kind.HEALTH,
    "cua hang": Checkpoint.Kind.SHOP,
    "nha van hoa": Checkpoint.Kind.CULTURE,
    "khac": Checkpoint.Kind.OTHER,
}


def match_key(text) -> str:
    """Lower case, no diacritics, single spaces: 'Nhà Văn  Hoá' → 'nha van hoa'."""
    return " ".join(fold(text).split())


def header_key(text) -> str:
    key = match_key(text).replace(" ", "_")
    return ALIASES.get(key, key)


class ImportFileError(Exception):
    """The whole file is refused (wrong type, wrong columns, too big): nothing was imported."""


@dataclass
class RowReport:
    number: int
    name: str
    reasons: list = field(default_factory=list)


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    refused: list = field(default_factory=list)


def read_rows(uploaded) -> list[list[str]]:
    data = uploaded.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB. Split it into smaller files."))
    name = (getattr(uploaded, "name", "") or "").lower()
    if data[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:
        raise ImportFileError(
            _("The file could not be read as an Excel workbook (.xlsx).")
        ) from exc
    ws = wb.worksheets[0]
    rows = []
    for row in ws.iter_rows(values_only=True):
        rows.append(["" if v is None else str(v) for v in row])
        if len(rows) > MAX_ROWS + 1:
            break
    wb.close()
    return rows


def _read_csv(data):
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("The file is neither UTF-8 CSV nor an Excel workbook."))
    if "\x00" in text:
        raise ImportFileError(_("The file is neither UTF-8 CSV nor an Excel workbook."))
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _formula_like(value: str) -> bool:
    return value.lstrip().startswith(("=", "+", "-", "@"))


def import_checkpoints(uploaded, user) -> ImportReport:
    rows = read_rows(uploaded)
    rows = [r for r in rows if any(str(c).strip() for c in r)]
    if not rows:
        raise ImportFileError(_("The file is empty."))
    header = [header_key(h) for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [rows[0][i] for i, h in enumerate(header) if h and h not in REQUIRED + OPTIONAL]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("missing columns: %(cols)s") % {"cols": ", ".join(missing)})
        if unknown:
            parts.append(_("unknown columns: %(cols)s") % {"cols": ", ".join(unknown)})
        raise ImportFileError(
            _("The columns are not the expected ones (%(problems)s). Expected: %(expected)s.")
            % {"problems": "; ".join(parts), "expected": ", ".join(REQUIRED + OPTIONAL)}
        )
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(n)s rows. Split it into smaller files.") % {"n": MAX_ROWS}
        )

    allowed = list(communes_for(user))
    allowed_ids = {c.pk for c in allowed}
    by_code = {c.code: c for c in allowed}
    by_name = {}
    for c in allowed:
        by_name[match_key(c.name)] = c
        by_name[match_key(c.name_with_type)] = c
    served_codes = set(AdministrativeUnit.objects.served().values_list("code", flat=True))
    existing = {
        (commune_id, match_key(name))
        for commune_id, name in Checkpoint.objects.filter(commune_id__in=allowed_ids).values_list(
            "commune_id", "name"
        )
    }
    seen_in_file = {}
    report = ImportReport()

    for number, raw in enumerate(rows[1:], start=2):
        # The file bypasses the request's normalisation, and Windows-1258 CSV decodes to
        # decomposed letters: NFC here, or "Chợ" from the file never matches "Chợ" typed later.
        values = {h: nfc(raw[i]).strip() if i < len(raw) else "" for i, h in enumerate(header) if h}
        name = clean_name(values.get("ten", ""))
        row = RowReport(number=number, name=name)
        for column, value in values.items():
            if _formula_like(value) and not (
                column == "dien_thoai" and codes.normalise_phone(value)
            ):
                row.reasons.append(
                    _("column %(col)s starts with “%(char)s” and could be a spreadsheet formula")
                    % {"col": column, "char": value.lstrip()[0]}
                )
        if not name:
            row.reasons.append(_("the name is empty"))
        address = values.get("dia_chi", "")
        if not address:
            row.reasons.append(_("the address is empty"))
        commune_text = values.get("ma_xa", "")
        commune = by_code.get(commune_text) or by_name.get(match_key(commune_text))
        if commune is None:
            if not commune_text:
                row.reasons.append(_("the commune is empty"))
            elif commune_text in served_codes or match_key(commune_text) in {
                match_key(n)
                for n in AdministrativeUnit.objects.served().values_list("name", flat=True)
            }:
                row.reasons.append(
                    _("you cannot add checkpoints in the commune “%(c)s”") % {"c": commune_text}
                )
            else:
                row.reasons.append(
                    _("“%(c)s” is not a commune of the district (use its code, e.g. 15349, or its "
                      "name)") % {"c": commune_text}
                )  # fmt: skip
        kind_text = match_key(values.get("loai", ""))
        kind = Checkpoint.Kind.OTHER
        if kind_text:
            kind = KIND_WORDS.get(kind_text) or (
                kind_text if kind_text in Checkpoint.Kind.values else None
            )
            if kind is None:
                row.reasons.append(
                    _("unknown type “%(t)s” (use: cơ quan, trường học, chợ, cơ sở y tế, cửa hàng, "
                      "nhà văn hoá, khác)") % {"t": values.get("loai")}
                )  # fmt: skip
        phone = values.get("dien_thoai", "")
        if phone:
            normalised = codes.normalise_phone(phone)
            if normalised is None:
                row.reasons.append(_("the phone number “%(p)s” is not valid") % {"p": phone})
            phone = normalised or ""
        if len(name) > 150 or len(address) > 250 or len(values.get("nguoi_phu_trach", "")) > 120:
            row.reasons.append(_("a cell is too long"))
        if commune is not None and name:
            key = (commune.pk, match_key(name))
            if key in seen_in_file:
                row.reasons.append(
                    _("duplicate of row %(n)s in this file") % {"n": seen_in_file[key]}
                )
            elif key in existing:
                row.reasons.append(_("this checkpoint already exists in that commune"))
            else:
                seen_in_file[key] = number
        if row.reasons:
            report.refused.append(row)
            continue
        try:
            with transaction.atomic():
                checkpoint = Checkpoint.objects.create(
                    name=name,
                    kind=kind,
                    commune=commune,
                    address=address,
                    responsible_name=clean_name(values.get("nguoi_phu_trach", "")),
                    responsible_phone=phone,
                    created_by=user,
                    updated_by=user,
                )
        except IntegrityError:
            row.reasons.append(_("this checkpoint already exists in that commune"))
            report.refused.append(row)
            continue
        report.created.append(checkpoint)
    return report
