"""Data-subject requests (Law 91/2025/QH15 on personal data protection and Decree
356/2025/NĐ-CP): find, export and erase everything the portal holds about a phone number or an
ID number.

Apps declare what they hold through the Wagtail hook ``portal_personal_data``. A hook function
returns one provider or a list of them; a provider is ``(label, find)`` or ``(label, find, erase)``:

    @hooks.register("portal_personal_data")
    def personal_data():
        return [(_("Check-ins"), lambda phone, id_number: CheckIn.objects.filter(phone=phone))]

``find(phone, id_number)`` gets the normalised phone (``0912345678``, or "" when not asked) and ID
number (or "") and returns a queryset (``.none()`` when it cannot match). ``erase(queryset)``
returns how many records it erased; without it the records are deleted. An app whose records must
be kept by law (a dossier in the archive period) passes an ``erase`` that anonymises instead.

Only staff with the permission ``core.handle_privacy_request`` use it (administrators, through
``roles.py``, and superusers); every search, export and erasure is recorded in the audit log with
the identifier masked.
"""

import csv
import dataclasses
import datetime
import decimal
import io
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import audit
from .masking import mask
from .personal_numbers import normalise_id_number, normalise_phone

audit.register_actions(
    {
        "privacy": gettext_lazy("Personal data request"),
        "privacy.search": gettext_lazy("Personal data request: search"),
        "privacy.export": gettext_lazy("Personal data request: copy given"),
        "privacy.export.json": gettext_lazy("Personal data request: copy given (JSON)"),
        "privacy.export.csv": gettext_lazy("Personal data request: copy given (CSV)"),
        "privacy.erase": gettext_lazy("Personal data request: erased"),
    }
)

audit.register_parameters({"found": gettext_lazy("Found in all")})

HOOK = "portal_personal_data"
PERMISSION = "core.handle_privacy_request"
SHOWN_PER_SOURCE = 50


# --- The registry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Provider:
    label: str
    find: Callable[[str, str], models.QuerySet]
    erase: Callable[[models.QuerySet], int] | None = None

    def erase_records(self, queryset) -> int:
        if self.erase is not None:
            return self.erase(queryset)
        return queryset.delete()[1].get(queryset.model._meta.label, 0)


def finder(model, phone_field="phone", id_field="id_number"):
    """A ``find(phone, id_number)`` for a model holding a phone number and an ID number."""

    def find(phone, id_number):
        query = models.Q()
        if phone:
            query |= models.Q(**{phone_field: phone})
        if id_number:
            query |= models.Q(**{id_field: id_number})
        return model.objects.filter(query) if query else model.objects.none()

    return find


def providers() -> list[Provider]:
    found = []
    for fn in hooks.get_hooks(HOOK):
        result = fn()
        items = [result] if isinstance(result, tuple) else list(result or [])
        found.extend(Provider(str(item[0]), *item[1:]) for item in items)
    return found


@dataclass
class Result:
    provider: Provider
    queryset: models.QuerySet
    count: int
    records: list
    objects: list = dataclasses.field(default_factory=list)  # the records shown, as model instances

    @property
    def columns(self) -> list[str]:
        """The records' fields by their names in Vietnamese, for the screen."""
        return [capfirst(f.verbose_name) for f in _shown_fields(self.queryset.model)]

    @property
    def rows(self) -> list[list[str]]:
        """The records as people read them: choices by label, Có/Không, dates as d/m/Y."""
        fields = _shown_fields(self.queryset.model)
        return [[_display(obj, f) for f in fields] for obj in self.objects]


def find_all(phone: str, id_number: str) -> list[Result]:
    results = []
    for provider in providers():
        queryset = provider.find(phone, id_number)
        count = queryset.count()
        shown = list(queryset[:SHOWN_PER_SOURCE])
        results.append(Result(provider, queryset, count, [serialise(o) for o in shown], shown))
    return results


def _shown_fields(model):
    # Folded copies and internal keys are not what the person gave: the screen leaves them out
    # (the export keeps every field).
    return [
        f
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and not f.name.endswith("_folded")
    ]


def _display(obj, field) -> str:
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")()) or "—"
    value = getattr(obj, field.name)
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "d/m/Y H:i") if value else "—"
    if isinstance(value, datetime.date):
        return date_format(value, "d/m/Y")
    if isinstance(value, FieldFile):
        return value.name or "—"
    if isinstance(value, dict | list):
        text = audit.format_value(value)
        return text if len(text) <= 200 else text[:199] + "…"
    return audit.format_value(value)


def serialise(obj) -> dict:
    """A record's own fields as JSON-safe values (files by name; relations by their label)."""
    data = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname if not field.is_relation else field.name)
        data[field.name] = _plain(value)
    return data


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, dict | list):
        return json.loads(json.dumps(value, default=str))
    return str(value)


# --- Export formats ----------------------------------------------------------------------------


def export_json(results: list[Result], phone: str, id_number: str) -> str:
    body = {
        "generated_at": timezone.localtime().isoformat(),
        "phone": phone,
        "id_number": id_number,
        "sources": [
            {
                "source": r.provider.label,
                "count": r.count,
                "records": [serialise(obj) for obj in r.queryset],
            }
            for r in results
        ],
    }
    return json.dumps(body, ensure_ascii=False, indent=2)


def _cell(value) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula: neutralise it."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(results: list[Result]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["source", "record", "field", "value"])
    for r in results:
        for obj in r.queryset:
            for field, value in serialise(obj).items():
                plain = (
                    json.dumps(value, ensure_ascii=False)
                    if isinstance(value, dict | list)
                    else value
                )
                writer.writerow([_cell(r.provider.label), obj.pk, field, _cell(plain)])
    return "\ufeff" + out.getvalue()  # a BOM so that Excel reads the Vietnamese text as UTF-8


# --- The admin view ----------------------------------------------------------------------------


def can_answer_requests(user) -> bool:
    # By permission, not by group name: renaming a group changes nothing.
    return user.is_active and user.has_perm(PERMISSION)


class SubjectForm(forms.Form):
    phone = forms.CharField(label=gettext_lazy("Phone number"), required=False, max_length=20)
    id_number = forms.CharField(
        label=gettext_lazy("ID number (CCCD/CMND)"), required=False, max_length=20
    )

    def clean_phone(self):
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        phone = normalise_phone(raw)
        if phone is None:
            raise ValidationError(_("Enter a phone number like 0912 345 678."))
        return phone

    def clean_id_number(self):
        raw = self.cleaned_data["id_number"].strip()
        if not raw:
            return ""
        value = normalise_id_number(raw)
        if value is None:
            raise ValidationError(_("An ID number has 9 digits (CMND) or 12 digits (CCCD)."))
        return value

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("phone") and not data.get("id_number"):
            raise ValidationError(_("Enter a phone number, an ID number, or both."))
        return data


def _subject_parameters(phone, id_number):
    return {"phone": mask(phone), "id_number": mask(id_number)}


def personal_data_request(request):
    """Find, then export or erase, what is held about a person."""
    if not can_answer_requests(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    form = SubjectForm(data if ("phone" in data or "id_number" in data) else None)
    context = {"form": form, "providers": providers()}
    if not form.is_bound or not form.is_valid():
        return TemplateResponse(request, "core/privacy/request.html", context)

    phone, id_number = form.cleaned_data["phone"], form.cleaned_data["id_number"]
    operation = request.POST.get("operation") if request.method == "POST" else None
    results = find_all(phone, id_number)
    total = sum(r.count for r in results)
    parameters = _subject_parameters(phone, id_number)

    if operation in ("export-json", "export-csv"):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if operation == "export-json":
            body, kind, ext = export_json(results, phone, id_number), "application/json", "json"
        else:
            body, kind, ext = export_csv(results), "text/csv", "csv"
        audit.record(
            request, f"privacy.export.{ext}", _("Personal data request"), parameters, total
        )
        response = HttpResponse(body, content_type=f"{kind}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan-{stamp}.{ext}"'
        response["Cache-Control"] = "no-store"
        return response

    if operation == "erase":
        if request.POST.get("confirm") != "yes":
            context.update(results=results, total=total, phone=phone, id_number=id_number)
            context["confirm_error"] = _("Tick the box to confirm the erasure.")
            return TemplateResponse(request, "core/privacy/request.html", context)
        erased = {}
        with transaction.atomic():
            for r in results:
                if r.count:
                    erased[r.provider.label] = r.provider.erase_records(r.queryset)
            audit.record(
                request,
                "privacy.erase",
                _("Personal data request"),
                {**parameters, "erased": erased},
                sum(erased.values()),
            )
        from django.contrib import messages

        messages.success(
            request,
            _("%(count)s record(s) erased.") % {"count": sum(erased.values())},
        )
        return redirect(reverse("core_privacy_requests"))

    # The entry counts the records the screen showed (up to SHOWN_PER_SOURCE a source), and how
    # many were found when that is more.
    shown = sum(len(r.objects) for r in results)
    if total > shown:
        parameters["found"] = total
    audit.record(request, "privacy.search", _("Personal data request"), parameters, shown)
    context.update(results=results, total=total, phone=phone, id_number=id_number)
    context["shown_per_source"] = SHOWN_PER_SOURCE
    return TemplateResponse(request, "core/privacy/request.html", context)


@hooks.register("register_admin_urls")
def register_urls():
    return [path("yeu-cau-du-lieu-ca-nhan/", personal_data_request, name="core_privacy_requests")]


class PrivacyMenuItem(MenuItem):
    def is_shown(self, request):
        return can_answer_requests(request.user)


@hooks.register("register_settings_menu_item")
def privacy_menu_item():
    return PrivacyMenuItem(
        gettext_lazy("Personal data requests"),
        reverse("core_privacy_requests"),
        icon_name="user",
        order=910,
    )
