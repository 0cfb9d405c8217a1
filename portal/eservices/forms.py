"""Django forms built from a form schema: one ``StepForm`` per wizard step."""

import datetime
import re
from functools import lru_cache

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.models import AdministrativeUnit
from portal.core.text import clean_name
from portal.core.units import has_district_level

from . import validation
from .schema import condition_met

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]
ADDRESS_PARTS = ("province", "district", "commune", "detail")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True
    template_name = "django/forms/widgets/file.html"


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def to_python(self, data):
        return data

    def clean(self, data, initial=None):
        if not data:
            return []
        if not isinstance(data, (list, tuple)):
            data = [data]
        return [f for f in data if f]


class DayMonthYearWidget(forms.MultiWidget):
    """A date people know (a date of birth, of issue) as three numeric text inputs in the
    Vietnamese order, Ngày / Tháng / Năm (the GOV.UK date input): no picker that shows mm/dd/yyyy,
    nothing to scroll back decades through. The form's template wraps them in a fieldset with a
    legend and an example hint (``eservices/includes/date_field.html``)."""

    template_name = "eservices/widgets/day_month_year.html"
    parts = ("day", "month", "year")

    def __init__(self, attrs=None, autocomplete=""):
        def part(name, width):
            attrs = {"inputmode": "numeric", "class": f"es-date__input es-date__input--{width}"}
            if autocomplete:
                attrs["autocomplete"] = f"{autocomplete}-{name}"
            return forms.TextInput(attrs=attrs)

        super().__init__({"day": part("day", 2), "month": part("month", 2),
                          "year": part("year", 4)}, attrs)  # fmt: skip

    def decompress(self, value):
        date = parse_date(value) if value else None
        return [date.day, date.month, date.year] if date else [None, None, None]

    def value_from_datadict(self, data, files, name):
        if any(f"{name}_{part}" in data for part in self.parts):
            return super().value_from_datadict(data, files, name)
        single = data.get(name)
        if single:
            # One value, from a page rendered before the date was asked in three parts.
            pieces = re.split(r"[\s/.\-]+", str(single).strip())
            if len(pieces) == 3 and len(pieces[0]) == 4:
                pieces.reverse()  # 1985-03-27
            return (pieces + ["", "", ""])[:3] if len(pieces) <= 3 else ["", "", str(single)]
        return ["", "", ""]

    def value_omitted_from_data(self, data, files, name):
        names = [name] + [f"{name}_{part}" for part in self.parts]
        return not any(n in data for n in names)

    def id_for_label(self, id_):
        # The error summary links to the day, the first of the three inputs.
        return f"{id_}_0" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = (_("Day"), _("Month"), _("Year"))
        for subwidget, label in zip(context["widget"]["subwidgets"], labels, strict=True):
            subwidget["label"] = label
        return context


class DayMonthYearField(forms.MultiValueField):
    """A date typed as day, month and year (``DayMonthYearWidget``), cleaned to a ``date``.

    Each error names what is wrong in the words of the field's label ("Ngày sinh phải là một
    ngày có thật", "Năm sinh phải có 4 chữ số"), and the page shows the values as typed.
    ``period`` "past" or "future" refuses a date on the wrong side of today; ``birth`` marks a
    date of birth (its hint, its browser autofill, "năm sinh")."""

    widget = DayMonthYearWidget

    def __init__(self, *, label="", period="", birth=False, **kwargs):
        self.period, self.birth = period, birth
        fields = [forms.CharField(required=False, strip=True) for _part in range(3)]
        kwargs.setdefault("widget", DayMonthYearWidget(autocomplete="bday" if birth else ""))
        super().__init__(fields, label=label, require_all_fields=False, **kwargs)

    def example(self) -> str:
        """The hint's example date, as typed: day, month, year."""
        if self.birth:
            return "27 3 1985"
        if self.period == "future":
            return f"27 3 {timezone.localdate().year + 1}"
        return "27 3 2007"

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return ""  # not answered: stored as every other empty answer
        label = self.label
        day, month, year = (str(v or "").strip() for v in data_list)
        missing = [name for name, v in zip(("day", "month", "year"), (day, month, year),
                                           strict=True) if not v]  # fmt: skip
        if missing:
            messages = {
                ("day",): _("%(label)s must include a day."),
                ("month",): _("%(label)s must include a month."),
                ("year",): _("%(label)s must include a year."),
                ("day", "month"): _("%(label)s must include a day and a month."),
                ("day", "year"): _("%(label)s must include a day and a year."),
                ("month", "year"): _("%(label)s must include a month and a year."),
            }
            raise ValidationError(messages[tuple(missing)] % {"label": label}, code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(self._not_real(), code="invalid")
        if len(year) != 4:
            message = (
                _("Year of birth must have 4 digits.")
                if self.birth
                else _("%(label)s: the year must have 4 digits.") % {"label": label}
            )
            raise ValidationError(message, code="year")
        try:
            date = datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self._not_real(), code="invalid") from None
        if date.year < 1900:
            raise ValidationError(self._not_real(), code="invalid")
        today = timezone.localdate()
        if (self.period == "past" or self.birth) and date > today:
            raise ValidationError(
                _("%(label)s must be today or in the past.") % {"label": label}, code="future"
            )
        if self.period == "future" and date < today:
            raise ValidationError(
                _("%(label)s must be today or in the future.") % {"label": label}, code="past"
            )
        return date

    def _not_real(self):
        return _("%(label)s must be a real date.") % {"label": self.label}


@lru_cache(maxsize=1)
def _provinces():
    return [(u.code, u.name_with_type) for u in AdministrativeUnit.objects.provinces()]


def _children(code, level=None):
    if not code:
        return []
    units = AdministrativeUnit.objects.filter(parent__code=code)
    if level:
        units = units.filter(level=level)
    return [(u.code, u.name_with_type) for u in units]


def _address_levels() -> tuple[str, ...]:
    """The lists of an address: province, district, commune; or, after the 2025 reform (no
    district level, ``core.units.has_district_level``), province and commune."""
    return ("province", "district", "commune") if has_district_level() else ("province", "commune")


def default_address() -> dict:
    unit = AdministrativeUnit.objects.filter(code=settings.PORTAL_UNIT_CODE).first()
    if unit is None:
        return {}
    if unit.level == AdministrativeUnit.Level.DISTRICT:
        return {"province": unit.parent.code if unit.parent else "", "district": unit.code}
    if unit.level == AdministrativeUnit.Level.COMMUNE and unit.parent and not has_district_level():
        return {"province": unit.parent.code}
    if unit.level == AdministrativeUnit.Level.COMMUNE and unit.parent:
        grand = unit.parent.parent
        return {"province": grand.code if grand else "", "district": unit.parent.code}
    return {"province": unit.code}


def parse_date(value):
    if isinstance(value, datetime.date):
        return value
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(str(value).strip(), fmt).date()
        except (ValueError, TypeError):
            continue
    return None


class StepForm(forms.Form):
    """The fields of one step. ``earlier`` holds the raw answers of the steps before it."""

    required_css_class = "form-group--required"

    def __init__(self, *args, step=None, earlier=None, context_specs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        self.earlier = earlier or {}
        self.context_specs = list(context_specs)
        self.specs = {}
        self.address_keys = []
        self.refused_uploads, self.refusal = set(), ""
        for spec in step["fields"]:
            condition = spec.get("condition")
            if condition and condition["field"] in self.earlier:
                if not condition_met(condition, self.earlier):
                    continue  # depends on an earlier step's answer: not asked
            self.specs[spec["key"]] = spec
            if spec["type"] == "address":
                self._add_address(spec)
            else:
                self.fields[spec["key"]] = self._make_field(spec)

    # --- building ---------------------------------------------------------------------------
    def _required(self, spec):
        return spec["required"] and not spec.get("condition")

    def _make_field(self, spec):
        label, kind = spec["label"], spec["type"]
        required = self._required(spec)
        common = {"label": label, "help_text": spec.get("help", ""), "required": required}
        missing = _("Enter %(label)s.") % {"label": label}
        if kind in ("choice", "multichoice", "yesno"):
            missing = _("Select %(label)s.") % {"label": label}
        elif kind == "file":
            missing = _("Attach %(label)s.") % {"label": label}
        common["error_messages"] = {"required": missing}
        if kind in ("text", "textarea"):
            widget = forms.Textarea(attrs={"rows": 5}) if kind == "textarea" else forms.TextInput
            return forms.CharField(widget=widget, **common)
        if kind == "number":
            decimals = validation.number_decimal_places(spec)
            attrs = {"inputmode": "decimal" if decimals else "numeric"}
            # No max_length: longer input gets the number message, not a count of characters.
            return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)
        if kind == "date":
            return DayMonthYearField(
                period=spec.get("period") or "", birth=bool(spec.get("is_birth_date")), **common
            )
        if kind == "choice":
            choices = [(c, c) for c in spec.get("choices") or []]
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        if kind == "multichoice":
            choices = [(c, c) for c in spec.get("choices") or []]
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        if kind == "yesno":
            return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
        if kind == "email":
            return forms.CharField(
                widget=forms.EmailInput(attrs={"autocomplete": "email"}), **common
            )
        if kind == "phone":
            return forms.CharField(
                widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}), **common
            )
        if kind == "idnumber":
            return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "numeric"}), **common)
        if kind == "file":
            accept = ",".join(
                validation.MIME_BY_TYPE[t]
                for t in spec.get("allowed_types") or []
                if t in validation.MIME_BY_TYPE
            )
            return MultipleFileField(widget=MultipleFileInput(attrs={"accept": accept}), **common)
        raise ValueError(f"unknown field type {kind}")

    def _add_address(self, spec):
        key = spec["key"]
        self.address_keys.append(key)
        levels = _address_levels()
        chosen = dict(default_address())
        if self.is_bound:
            for part in levels[:-1]:
                chosen[part] = self.data.get(self.add_prefix(f"{key}__{part}"), "")
        else:
            initial = self.initial.get(key) or {}
            chosen.update({p: initial.get(p, chosen.get(p, "")) for p in levels[:-1]})
        empty = [("", _("– Select –"))]
        parts = {"province": (_("Province / city"), empty + _provinces(), chosen.get("province"))}
        if "district" in levels:
            parts["district"] = (
                _("District"),
                empty + _children(chosen.get("province")),
                chosen.get("district"),
            )
        parts["commune"] = (
            _("Commune / ward / town"),
            empty + _children(chosen.get(levels[-2]), AdministrativeUnit.Level.COMMUNE),
            None,
        )
        for part, (label, choices, initial) in parts.items():
            self.fields[f"{key}__{part}"] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=False,
                initial=initial,
                widget=forms.Select(attrs={"data-cascade": key}),
            )
        self.fields[f"{key}__detail"] = forms.CharField(
            label=_("House number, street, hamlet"), required=False, max_length=200
        )
        self.fields[f"{key}__province"].spec_label = spec["label"]

    def refuse_uploads(self, keys, message):
        """The files just posted for these fields were not taken (a limit): say so there."""
        self.refused_uploads, self.refusal = set(keys), message

    # --- cleaning ---------------------------------------------------------------------------
    def clean(self):
        cleaned = super().clean()
        for key in self.refused_uploads & set(self.fields):
            self.add_error(key, self.refusal)
        answers = {**self.earlier, **{k: v for k, v in cleaned.items() if "__" not in k}}
        for key, spec in self.specs.items():
            if spec["type"] == "address":
                cleaned[key] = self._clean_address(key, spec)
                continue
            if key not in self.fields:
                continue
            value = cleaned.get(key)
            if spec.get("condition") and not condition_met(spec["condition"], answers):
                cleaned[key] = [] if spec["type"] in ("multichoice", "file") else ""
                continue
            if spec["required"] and value in (None, "", []) and key not in self.errors:
                self.add_error(key, self.fields[key].error_messages["required"])
                continue
            if value in (None, "", []) or key in self.errors:
                continue
            try:
                cleaned[key] = self._clean_value(spec, value)
            except ValidationError as error:
                self.add_error(key, error)
        self._check_identity(cleaned)
        return cleaned

    def _clean_value(self, spec, value):
        label, kind = spec["label"], spec["type"]
        if kind in ("text", "textarea"):
            limit = int(spec.get("max_length") or (2000 if kind == "textarea" else 200))
            value = clean_name(value) if spec.get("role") == "name" else value.strip()
            if len(value) > limit:
                raise ValidationError(
                    _("%(label)s must be %(limit)s characters or fewer.")
                    % {"label": label, "limit": limit}
                )
            return value
        if kind == "number":
            return validation.clean_number(value, label, spec)
        if kind == "date":
            date = parse_date(value)
            if date is None or not (1900 <= date.year <= 2200):
                raise ValidationError(
                    _("%(label)s must be a real date, for example 27/03/2007.") % {"label": label}
                )
            today = timezone.localdate()
            if spec.get("period") == "past" and date > today:
                raise ValidationError(
                    _("%(label)s must be today or in the past.") % {"label": label}
                )
            if spec.get("period") == "future" and date < today:
                raise ValidationError(
                    _("%(label)s must be today or in the future.") % {"label": label}
                )
            return date.isoformat()
        if kind == "email":
            value = value.strip()
            try:
                forms.EmailField().clean(value)
            except ValidationError:
                raise ValidationError(
                    _("%(label)s must be an e-mail address, like ten@example.com.")
                    % {"label": label}
                ) from None
            return value
        if kind == "phone":
            return validation.clean_phone(value, label)
        if kind == "idnumber":
            return validation.clean_id_number(value, label, bool(spec.get("allow_cmnd", True)))
        if kind == "file":
            checked = validation.check_uploads(
                value,
                label,
                list(spec.get("allowed_types") or ["pdf"]),
                int(spec.get("max_size_mb") or 5),
                int(spec.get("max_count") or 1),
            )
            for uploaded, _kind, safe in checked:
                uploaded.safe_name = safe
            return [uploaded for uploaded, _k, _s in checked]
        return value

    def _clean_address(self, key, spec):
        values = {p: (self.cleaned_data.get(f"{key}__{p}") or "").strip() for p in ADDRESS_PARTS}
        label = spec["label"]
        answers = {**self.earlier, **self.cleaned_data}
        applies = condition_met(spec.get("condition"), answers)
        if not applies:
            return {}
        if not any(values[p] for p in ("commune", "detail")):
            if spec["required"]:
                self.add_error(f"{key}__province", _("Enter %(label)s.") % {"label": label})
            return {}
        levels = _address_levels()
        units = {
            u.code: u
            for u in AdministrativeUnit.objects.filter(
                code__in=[values[p] for p in levels if values[p]]
            ).select_related("parent")
        }
        chain = [units.get(values[p]) for p in levels]
        if not all(chain) or any(
            below.parent_id != above.id for above, below in zip(chain, chain[1:], strict=False)
        ):
            message = (
                _("%(label)s: choose the province, then the district, then the commune.")
                if "district" in levels
                else _("%(label)s: choose the province, then the commune.")
            )
            self.add_error(f"{key}__province", message % {"label": label})
            return {}
        province, commune = chain[0], chain[-1]
        district = chain[1] if "district" in levels else None
        if not values["detail"]:
            self.add_error(
                f"{key}__detail",
                _("%(label)s: enter the house number, street or hamlet.") % {"label": label},
            )
            return {}
        text = ", ".join(
            [values["detail"], commune.name_with_type]
            + ([district.name_with_type] if district else [])
            + [province.name_with_type]
        )
        return {**values, "text": text}

    def _check_identity(self, cleaned):
        """Match a CCCD against the date of birth and sex given in this step or earlier."""
        answers = {**self.earlier, **cleaned}
        birth = sex = None
        for spec in self._all_specs():
            if spec["type"] == "date" and spec.get("is_birth_date"):
                birth = parse_date(answers.get(spec["key"]) or "")
            if spec["type"] == "choice" and spec.get("is_sex"):
                sex = answers.get(spec["key"]) or None
        for key, spec in self.specs.items():
            if spec["type"] != "idnumber" or key in self.errors:
                continue
            encoded = validation.cccd_birth(cleaned.get(key) or "")
            if encoded is None:
                continue
            year, encoded_sex = encoded
            if birth and birth.year != year:
                self.add_error(
                    key,
                    _("%(label)s does not match the year of birth %(year)s.")
                    % {"label": spec["label"], "year": birth.year},
                )
            elif sex in ("Nam", "Nữ") and sex != encoded_sex:
                self.add_error(
                    key,
                    _("%(label)s does not match the sex given (%(sex)s).")
                    % {"label": spec["label"], "sex": sex},
                )

    def _all_specs(self):
        return list(self.specs.values()) + self.context_specs

    # --- presenting -------------------------------------------------------------------------
    def error_links(self):
        """[(anchor id, message)] for the error summary, in field order."""
        links = []
        for name in self.fields:
            for message in self.errors.get(name, []):
                links.append((self[name].id_for_label or self[name].auto_id, message))
        for message in self.non_field_errors():
            links.append(("", message))
        return links

    def answers(self) -> dict:
        """The cleaned answers, JSON-ready (files as the uploaded objects)."""
        return {key: self.cleaned_data.get(key) for key in self.specs}
