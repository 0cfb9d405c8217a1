"""Cells of CSV and XLSX exports that a spreadsheet never runs as formulas (the Luca lesson).

Every export of the portal writes its cells through ``safe_cell`` (XLSX: numbers and dates stay
numbers and dates) or ``safe_text`` (CSV, or a column that must be text).
"""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value):
    """The value as it is, except text a spreadsheet would take for a formula: a leading '."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_START):
        return "'" + value
    return value


def safe_text(value) -> str:
    """The value as text (None: empty), made safe like ``safe_cell``."""
    return safe_cell("" if value is None else str(value))
