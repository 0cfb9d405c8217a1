"""The online form as plain data: built from the page's StreamField, frozen with each dossier.

A schema is ``{"version": 1, "steps": [{"key", "title", "intro", "condition", "fields": [...]}]}``;
a field is ``{"key", "type", "label", "help", "required", "condition", "role", ...options}`` where
``condition`` is ``None`` or ``{"field": key, "value": text}`` (empty value: any answer).
"""

import hashlib
import json
from decimal import Decimal

from django.utils.translation import gettext as _

FIELD_OPTIONS = {
    "text": ["max_length"],
    "textarea": ["max_length"],
    "number": ["min_value", "max_value", "whole", "decimal_places"],
    "date": ["period", "is_birth_date"],
    "choice": ["choices", "is_sex"],
    "multichoice": ["choices"],
    "idnumber": ["allow_cmnd"],
    "file": ["allowed_types", "max_size_mb", "max_count"],
}


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ListValue":
        return [_plain(v) for v in value]
    return value


def _condition(value):
    field = (value.get("condition_field") or "").strip()
    if not field:
        return None
    return {"field": field, "value": (value.get("condition_value") or "").strip()}


def schema_from_stream(stream) -> dict:
    steps = []
    for step_block in stream:
        step = step_block.value
        fields = []
        for field_block in step["fields"]:
            value = field_block.value
            field = {
                "key": value["key"],
                "type": field_block.block_type,
                "label": value["label"],
                "help": value.get("help_text") or "",
                "required": bool(value.get("required")),
                "condition": _condition(value),
                "role": value.get("role") or "",
            }
            for option in FIELD_OPTIONS.get(field_block.block_type, []):
                field[option] = _plain(value.get(option))
            fields.append(field)
        steps.append(
            {
                "key": step["key"],
                "title": step["title"],
                "intro": step.get("intro") or "",
                "condition": _condition(step),
                "fields": fields,
            }
        )
    return {"version": 1, "steps": steps}


def digest(schema: dict, form_key: str) -> str:
    raw = json.dumps([form_key, schema], sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(raw).hexdigest()


def freeze(schema: dict, form_key: str, service=None):
    """The FormVersion for this schema, made once per distinct form."""
    from .models import FormVersion

    version, _created = FormVersion.objects.get_or_create(
        digest=digest(schema, form_key),
        defaults={"schema": schema, "form_key": form_key, "service": service},
    )
    return version


def all_fields(schema: dict):
    for step in schema["steps"]:
        yield from step["fields"]


def field_by_key(schema: dict) -> dict:
    return {f["key"]: f for f in all_fields(schema)}


def _matches(answer, expected: str) -> bool:
    if answer in (None, "", [], {}, False):
        return False
    if not expected:
        return True
    if isinstance(answer, (list, tuple)):
        return expected in answer
    return str(answer) == expected


def condition_met(condition, answers: dict) -> bool:
    if not condition:
        return True
    return _matches(answers.get(condition["field"]), condition["value"])


def display_value(field: dict, value) -> str:
    """An answer as the applicant and the officer read it (plain text, escaped by templates)."""
    kind = field["type"]
    if value in (None, "", [], {}):
        return _("Not provided")
    if kind == "yesno":
        return _("Yes") if value == "yes" else _("No")
    if kind == "multichoice":
        return ", ".join(value)
    if kind == "date":
        year, month, day = str(value).split("-")
        return f"{day}/{month}/{year}"
    if kind == "address":
        return value.get("text", "")
    if kind == "file":
        return ", ".join(item["name"] for item in value)
    return str(value)


def answer_rows(schema: dict, answers: dict):
    """[(step, [(field, display)])] for the steps and fields that applied."""
    rows = []
    for step in schema["steps"]:
        if not condition_met(step.get("condition"), answers):
            continue
        items = [
            (field, display_value(field, answers.get(field["key"])))
            for field in step["fields"]
            if condition_met(field.get("condition"), answers)
        ]
        rows.append((step, items))
    return rows
