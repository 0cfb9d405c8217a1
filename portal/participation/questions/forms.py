"""The citizen's forms (ask, look up, give more information) and the staff's (a handling step,
publication)."""

import time
import uuid

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.models import AdministrativeUnit
from portal.core.text import clean_name, nfc
from portal.eservices.forms import MultipleFileField
from portal.eservices.models import ProcedureArea
from portal.eservices.validation import check_uploads, clean_phone

from . import handling
from .models import Kind

ATTACHMENT_TYPES = ["jpg", "png", "pdf"]
ATTACHMENT_MAX_MB = 10
ATTACHMENT_MAX_COUNT = 3
STARTED_SALT = "questions.form-started"
SUBMISSION_SALT = "questions.submission"

CONSENT = gettext_lazy(
    "I agree that the authority processes my name, phone number and e-mail address to answer "
    "this question, as set out in the personal data notice."
)


class AskForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What do you send?"),
        choices=Kind.choices,
        initial=Kind.QUESTION,
        widget=forms.RadioSelect,
    )
    area = forms.ModelChoiceField(
        label=gettext_lazy("Subject area"),
        queryset=ProcedureArea.objects.all(),
        required=False,
        empty_label=gettext_lazy("Other / not sure"),
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit concerned"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        help_text=gettext_lazy("The commune your question is about, if any."),
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    content = forms.CharField(
        label=gettext_lazy("Content"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("At most 5,000 characters."),
    )
    attachments = MultipleFileField(
        label=gettext_lazy("Photos or documents (optional)"),
        required=False,
        help_text=gettext_lazy("Up to 3 files: JPG, PNG or PDF, at most 10 MB each."),
    )
    name = forms.CharField(
        label=gettext_lazy("Full name"), max_length=120, widget=forms.TextInput(
            attrs={"autocomplete": "name"})
    )  # fmt: skip
    phone = forms.CharField(
        label=gettext_lazy("Phone number"),
        max_length=20,
        help_text=gettext_lazy("You look up the answer with the code and this number."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail (optional)"),
        required=False,
        help_text=gettext_lazy("To receive the receipt and the answer by e-mail."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    notify_by = forms.ChoiceField(
        label=gettext_lazy("Tell me of the answer by"),
        required=False,
        widget=forms.RadioSelect,
        choices=(),
    )
    publish_allowed = forms.BooleanField(
        label=gettext_lazy(
            "The question and its answer may be published on the portal, without my name or "
            "contact details."
        ),
        required=False,
        initial=True,
    )
    consent = forms.BooleanField(label=CONSENT)
    # Not for people: hidden from sight and from assistive technology; robots fill it in.
    website = forms.CharField(required=False, label="Website")
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    # One key per form shown, carried by the form itself (not the session: showing the form
    # writes nothing on the server): a double tap or a post sent again files one question.
    submission = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.site_unit = unit
        communes = AdministrativeUnit.objects.communes()
        if unit is not None and unit.level == AdministrativeUnit.Level.COMMUNE:
            # A commune's site: its own questions (or the level above, left empty).
            self.fields["unit"].queryset = communes.filter(pk=unit.pk)
            self.fields["unit"].initial = unit.pk
            self.fields["unit"].empty_label = _("The district or province")
        else:
            self.fields["unit"].queryset = communes.served().order_by("name")
            self.fields["unit"].empty_label = _("Not about one commune")
        from portal.notifications.conf import open_channels

        channels = [(c, label) for c, label in open_channels() if c in ("email", "sms")]
        if len(channels) > 1:
            self.fields["notify_by"].choices = [
                ("email", _("E-mail")), ("sms", _("SMS to my phone"))]  # fmt: skip
            self.fields["notify_by"].initial = "email"
        else:
            del self.fields["notify_by"]
        self.fields["area"].label_from_instance = lambda area: area.name
        self.fields["unit"].label_from_instance = lambda u: u.display_name
        for name, field in self.fields.items():
            if field.required and name not in ("consent", "kind"):
                field.error_messages["required"] = _("Enter %(label)s.") % {
                    "label": str(field.label).lower()
                }
        self.fields["consent"].error_messages["required"] = _(
            "Agree to the processing of your data to send the question."
        )
        if not self.is_bound:
            self.initial["started"] = signing.dumps(int(time.time()), salt=STARTED_SALT)
            self.initial["submission"] = signing.dumps(str(uuid.uuid4()), salt=SUBMISSION_SALT)

    def submission_key(self) -> str:
        """The key of the form that was shown; a new one if it is missing or was tampered with
        (a client cannot choose a key, so it cannot land on somebody else's question)."""
        try:
            return signing.loads(
                self.data.get(self.add_prefix("submission"), ""), salt=SUBMISSION_SALT
            )
        except signing.BadSignature:
            return str(uuid.uuid4())

    def clean_title(self):
        return clean_name(self.cleaned_data["title"])

    def clean_content(self):
        text = nfc(self.cleaned_data["content"]).strip()
        if len(text) < 10:
            raise forms.ValidationError(_("Describe your question in a few words more."))
        return text

    def clean_name(self):
        return clean_name(self.cleaned_data["name"])

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"], _("Phone number"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("notify_by") == "email" and not cleaned.get("email"):
            if "email" not in self.errors:
                self.add_error("email", _("Enter an e-mail address to be told by e-mail."))
        return cleaned

    def clean_attachments(self):
        files = self.files.getlist(self.add_prefix("attachments")) if self.files else []
        if not files:
            return []
        checked = check_uploads(
            files, _("Photos or documents"), ATTACHMENT_TYPES, ATTACHMENT_MAX_MB,
            ATTACHMENT_MAX_COUNT,
        )  # fmt: skip
        for upload, _kind, safe in checked:
            upload.safe_name = safe
        return [upload for upload, _kind, _safe in checked]

    def is_robot(self) -> bool:
        """The honeypot filled in, or the form sent back faster than a person can type it."""
        if self.data.get(self.add_prefix("website")):
            return True
        try:
            started = signing.loads(
                self.data.get(self.add_prefix("started"), ""), salt=STARTED_SALT, max_age=86400
            )
        except signing.BadSignature:
            return True
        return time.time() - started < settings.QUESTIONS_MIN_FILL_SECONDS


class LookupForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Tracking code"),
        max_length=40,
        help_text=gettext_lazy("As given when you sent it, e.g. HD-261204-0001."),
    )
    phone = forms.CharField(label=gettext_lazy("Phone number given when sending"), max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["required"] = _("Enter the tracking code.")
        self.fields["phone"].error_messages["required"] = _("Enter the phone number.")

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class MoreInformationForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("More information"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": gettext_lazy("Write the information asked for.")},
    )

    def clean_text(self):
        return nfc(self.cleaned_data["text"]).strip()


# --- staff ---------------------------------------------------------------------------------------
class ActionForm(forms.Form):
    action = forms.ChoiceField(label=gettext_lazy("Step"), widget=forms.RadioSelect)
    assignee = forms.ModelChoiceField(
        label=gettext_lazy("Officer in charge"), queryset=None, required=False
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit concerned"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        empty_label=gettext_lazy("The district or province"),
    )
    due_days = forms.IntegerField(
        label=gettext_lazy("Due in (working days)"), min_value=1, max_value=60, required=False
    )
    answer = forms.CharField(
        label=gettext_lazy("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    answered_by = forms.CharField(
        label=gettext_lazy("Answered by (unit or title shown to the public)"),
        max_length=200,
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Note to the asker"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    LABELS = {
        handling.ASSIGN: gettext_lazy("Assign (officer, unit, due date)"),
        handling.REQUEST_INFO: gettext_lazy("Ask the sender for more information"),
        handling.ANSWER: gettext_lazy("Send the answer"),
        handling.CLOSE: gettext_lazy("Close"),
    }

    def __init__(self, question, officers, units, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields["action"].choices = [
            (a, self.LABELS[a]) for a in handling.allowed_actions(question)
        ]
        self.fields["assignee"].queryset = officers
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: u.display_name
        self.initial.setdefault("unit", question.unit_id)
        self.initial.setdefault("answer", question.answer)
        self.initial.setdefault("answered_by", question.answered_by)

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == handling.ANSWER and not (cleaned.get("answer") or "").strip():
            self.add_error("answer", _("Write the answer."))
        if action == handling.REQUEST_INFO and not cleaned.get("note"):
            self.add_error("note", _("Write what the sender should add."))
        if action != handling.ASSIGN:
            cleaned.pop("unit", None)
        return cleaned


class PublicationForm(forms.Form):
    published = forms.BooleanField(label=gettext_lazy("Show on the public list"), required=False)
    public_title = forms.CharField(label=gettext_lazy("Published title"), max_length=200)
    public_content = forms.CharField(
        label=gettext_lazy("Published question"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Edit out names, addresses, numbers or anything else that identifies a person."
        ),
    )

    def __init__(self, question, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.initial.setdefault("published", question.published)
        self.initial.setdefault("public_title", question.shown_title)
        self.initial.setdefault("public_content", question.shown_content)

    def clean_published(self):
        value = self.cleaned_data["published"]
        if value and not self.question.publish_allowed:
            raise forms.ValidationError(_("The sender did not agree to publication."))
        if value and not self.question.answer:
            raise forms.ValidationError(_("Only answered questions can be published."))
        return value


class MergeForm(forms.Form):
    original = forms.CharField(label=gettext_lazy("Code of the original question"), max_length=40)

    def clean_original(self):
        return self.cleaned_data["original"].strip().upper()
