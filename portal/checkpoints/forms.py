"""Forms of the check-in page, the short-code page, staff entry and the tracing console."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from portal.core import text

from . import codes
from .models import Checkpoint

# "ID number" is a field name (lower case) elsewhere; a form label starts with a capital.
capfirst_lazy = lazy(capfirst, str)

YES_NO = [("no", _("No")), ("yes", _("Yes"))]


class PhoneField(forms.CharField):
    default_error_messages = {
        "invalid_phone": _(
            "Enter a Vietnamese phone number, like 0912345678 or +84912345678 "
            "(10 digits starting with 03, 05, 07, 08 or 09; landlines 11 digits starting with 02)."
        )
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        phone = codes.normalise_phone(value)
        if phone is None:
            raise forms.ValidationError(self.error_messages["invalid_phone"], code="invalid_phone")
        return phone


class IdNumberField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["inputmode"] = "numeric"
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        number = codes.normalise_id_number(value)
        if number is None:
            raise forms.ValidationError(
                _("An ID number has 12 digits (citizen ID card) or 9 digits (old ID card)."),
                code="invalid_id",
            )
        return number


def clean_name(value: str) -> str:
    value = text.clean_name(value)  # NFC, no invisible characters, single spaces
    if value and value[0] in "=+-@":
        raise forms.ValidationError(_("A name cannot start with =, +, - or @."), code="formula")
    if any(ch.isdigit() for ch in value):
        raise forms.ValidationError(_("A name has no digits."), code="digits")
    return value


def _sub_locations(checkpoint, given):
    """The sub-locations to offer: ``given`` when the caller knows them (a post that chose none
    needs none), else the checkpoint's."""
    if given is not None:
        return list(given)
    return list(checkpoint.sub_locations.all()) if checkpoint else []


class CheckInForm(forms.Form):
    """First visit: who you are and the short health declaration."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name", "autocapitalize": "words"}),
        error_messages={"required": _("Enter your full name.")},
    )
    phone = PhoneField(
        label=_("Phone number"),
        help_text=_("So the health station can call you if a case was here at the same time."),
        error_messages={"required": _("Enter your phone number.")},
    )
    sub_location = forms.ChoiceField(label=_("Where exactly?"), required=False)
    has_symptoms = forms.ChoiceField(
        label=_(
            "In the last 14 days, have you had fever, cough, shortness of breath, sore throat, "
            "tiredness, or lost your sense of taste or smell?"
        ),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Answer whether you have had symptoms.")},
    )
    had_contact = forms.ChoiceField(
        label=_(
            "In the last 14 days, have you been in contact with a confirmed or suspected case?"
        ),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Answer whether you have been in contact with a case.")},
    )
    travelled = forms.ChoiceField(
        label=_("In the last 14 days, have you come back from an area with an outbreak?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Answer whether you have travelled.")},
    )
    remember = forms.BooleanField(
        label=_("Remember my name and phone number on this phone (for a one-tap check-in)"),
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my details are used only for disease prevention and deleted "
            "automatically after the retention period."
        ),
        error_messages={"required": _("You need to agree before you can check in.")},
    )

    def __init__(self, *args, checkpoint=None, sub_locations=None, **kwargs):
        super().__init__(*args, **kwargs)
        subs = _sub_locations(checkpoint, sub_locations)
        if subs:
            self.fields["sub_location"].choices = [("", _("(not given)"))] + [
                (str(s.pk), s.name) for s in subs
            ]
        else:
            del self.fields["sub_location"]

    def clean_full_name(self):
        return clean_name(self.cleaned_data["full_name"])

    def answers(self):
        return {
            key: self.cleaned_data[key] == "yes"
            for key in ("has_symptoms", "had_contact", "travelled")
        }


class QuickCheckInForm(forms.Form):
    """Returning visitor: the only thing to send is that they are well (and their consent)."""

    sub_location = forms.ChoiceField(label=_("Where exactly?"), required=False)

    def __init__(self, *args, checkpoint=None, sub_locations=None, **kwargs):
        super().__init__(*args, **kwargs)
        subs = _sub_locations(checkpoint, sub_locations)
        if subs:
            self.fields["sub_location"].choices = [("", _("(not given)"))] + [
                (str(s.pk), s.name) for s in subs
            ]
        else:
            del self.fields["sub_location"]


class ShortCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Checkpoint code"),
        max_length=20,
        help_text=_("The 6 characters printed under the QR code, e.g. ABC-234."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter the code printed on the poster.")},
    )

    def clean_code(self):
        short = codes.normalise_short_code(self.cleaned_data["code"])
        if short is None:
            raise forms.ValidationError(
                _(
                    "A checkpoint code has 6 letters and digits, like ABC-234 (there is no O, I, "
                    "L, 0 or 1 in it). Check the poster and try again."
                ),
                code="malformed",
            )
        return short


class VerifyPosterForm(forms.Form):
    code = forms.CharField(label=_("Checkpoint code"), max_length=20)
    verification = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        help_text=_("The 8 characters after “Mã xác thực” at the bottom of the poster."),
    )

    def clean_code(self):
        short = codes.normalise_short_code(self.cleaned_data["code"])
        if short is None:
            raise forms.ValidationError(
                _("A checkpoint code has 6 letters and digits, like ABC-234."), code="malformed"
            )
        return short


# --- Staff --------------------------------------------------------------------------------
class PaperRowForm(forms.Form):
    """One row of a paper visitor log, keyed in by staff."""

    row = forms.CharField(label=_("Sheet/row"), max_length=20, required=False)
    time_in = forms.TimeField(label=_("Time in"), required=False)
    time_out = forms.TimeField(label=_("Time out"), required=False)
    full_name = forms.CharField(label=_("Full name"), max_length=120, required=False)
    phone = PhoneField(label=_("Phone"), required=False)
    id_number = IdNumberField(label=capfirst_lazy(_("ID number")))
    risk = forms.BooleanField(label=_("Symptoms/contact"), required=False)

    def has_content(self):
        data = getattr(self, "cleaned_data", None) or {}
        if data:
            return any(data.get(k) for k in ("full_name", "phone", "id_number", "time_in"))
        return any(
            (self.data.get(self.add_prefix(k)) or "").strip()
            for k in ("full_name", "phone", "id_number", "time_in", "time_out")
        )

    def clean_full_name(self):
        return clean_name(self.cleaned_data["full_name"])

    def clean(self):
        data = super().clean()
        if not self.has_content():
            return data
        if not data.get("full_name") and "full_name" not in self.errors:
            self.add_error("full_name", _("Enter the visitor's name."))
        if not data.get("time_in") and "time_in" not in self.errors:
            self.add_error("time_in", _("Enter the time in (e.g. 08:30)."))
        if not data.get("phone") and not data.get("id_number"):
            if "phone" not in self.errors and "id_number" not in self.errors:
                self.add_error(
                    "phone", _("Enter a phone number or an ID number, so the person can be traced.")
                )
        if data.get("time_in") and data.get("time_out") and data["time_out"] < data["time_in"]:
            self.add_error("time_out", _("The time out is before the time in."))
        return data


class BasePaperRowFormSet(forms.BaseFormSet):
    pass


PaperRowFormSet = forms.formset_factory(PaperRowForm, formset=BasePaperRowFormSet, extra=0)


class PaperSheetForm(forms.Form):
    day = forms.DateField(
        label=_("Date on the sheet"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return day


def combine(day, t):
    return timezone.make_aware(datetime.combine(day, t)) if t else None


class StaffScanForm(forms.Form):
    checkpoint = forms.ModelChoiceField(label=_("Checkpoint"), queryset=Checkpoint.objects.none())
    token = forms.CharField(
        label=_("Personal QR code"),
        max_length=300,
        help_text=_(
            "Scan the visitor's personal QR code with a scanner, or type the code below it."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checkpoint"].queryset = queryset


# --- Tracing --------------------------------------------------------------------------------
class _WindowMixin(forms.Form):
    # A datetime-local input shows its value only in this form ("2026-12-02T00:00"): in
    # Django's default format the browser shows an empty field and the default window is lost.
    start = forms.DateTimeField(
        label=_("Start time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    end = forms.DateTimeField(
        label=_("End time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            if data["end"] <= data["start"]:
                raise forms.ValidationError(_("The end of the window is before its start."))
            if data["end"] - data["start"] > timedelta(days=62):
                raise forms.ValidationError(_("Choose a window of at most 62 days."))
        return data


def checkpoints_by_commune(queryset, search=""):
    """Choices for a checkpoint, one group per commune (three communes each have a "Nhà văn hoá
    Thôn 3"); ``search`` keeps the checkpoints whose name or commune contains it, accents and
    case aside."""
    wanted = text.fold(search).strip()
    groups = {}
    for checkpoint in queryset.select_related("commune").order_by("commune__name", "name"):
        commune = checkpoint.commune.name_with_type
        if wanted and wanted not in text.fold(f"{checkpoint.name} {commune}"):
            continue
        groups.setdefault(commune, []).append((checkpoint.pk, checkpoint.name))
    return [("", "---------"), *groups.items()]


class VisitorsForm(_WindowMixin):
    checkpoint = forms.ModelChoiceField(label=_("Checkpoint"), queryset=Checkpoint.objects.none())
    field_order = ["checkpoint", "start", "end"]  # under the box that searches the checkpoints

    def __init__(self, *args, queryset=None, search="", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["checkpoint"]
        field.queryset = queryset  # what is accepted: every checkpoint of the user's communes
        field.choices = checkpoints_by_commune(queryset, search)  # what is offered
        field.widget.attrs["data-ckp-filter"] = "checkpoint"


class PersonForm(forms.Form):
    phone = PhoneField(label=_("Phone"), required=False)
    id_number = IdNumberField(label=capfirst_lazy(_("ID number")))

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("id_number") and not self.errors:
            raise forms.ValidationError(_("Enter a phone number or an ID number."))
        return data


class ContactsForm(PersonForm):
    buffer = forms.IntegerField(
        label=_("Buffer (minutes)"), min_value=0, max_value=24 * 60, initial=30
    )
    depth = forms.TypedChoiceField(
        label=_("Depth"),
        choices=[(1, _("Contacts of the case (F1)")), (2, _("And their contacts (F2)"))],
        coerce=int,
        initial=2,
    )
    days = forms.IntegerField(label=_("Look back (days)"), min_value=1, max_value=60, initial=14)


def default_window():
    now = timezone.localtime()
    start = datetime.combine(now.date(), time.min) - timedelta(days=1)
    return timezone.make_aware(start), now.replace(second=0, microsecond=0)
