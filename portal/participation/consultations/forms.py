"""The comment form: what it is on, the comment, and who sends it (optional or required, as the
draft's editor chose), with consent to the privacy notice whenever a name or contact is given."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.personal_numbers import normalise_phone
from portal.core.text import clean_name, nfc

COMMENT_MAX = 3000
WHOLE_DRAFT = ""
# Bots fill every field they find; people never see this one (consultations.css hides it).
HONEYPOT = "trang_web"


class CommentForm(forms.Form):
    section = forms.ChoiceField(
        label=_("Your comment is on"),
        required=False,
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": COMMENT_MAX}),
        error_messages={
            "required": _("Write your comment."),
            "max_length": _("Write at most %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )
    name = forms.CharField(
        label=_("Full name"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Enter an e-mail address like ten@vidu.vn.")},
    )
    consent = forms.BooleanField(
        label=_("I agree that my name and contact are kept as the privacy notice says."),
        required=False,
    )
    trang_web = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, draft, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft
        self.sections = {str(s.pk): s for s in draft.sections.all()}
        self.fields["section"].choices = [
            (WHOLE_DRAFT, _("The whole draft")),
            *((key, section.heading) for key, section in self.sections.items()),
        ]
        if draft.contact_required:
            self.fields["name"].required = True
            self.fields["name"].error_messages["required"] = _(
                "Enter the full name of the person sending the comment."
            )

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT))

    def clean_body(self):
        return nfc(self.cleaned_data["body"]).strip()

    def clean_name(self):
        return clean_name(self.cleaned_data.get("name", ""))

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "").strip()
        if not value:
            return ""
        phone = normalise_phone(value)
        if phone is None:
            raise forms.ValidationError(
                _("Enter a Vietnamese phone number, like 0912345678 or +84912345678.")
            )
        return phone

    def clean_section(self):
        value = self.cleaned_data.get("section") or WHOLE_DRAFT
        return self.sections.get(value)

    def clean(self):
        data = super().clean()
        name, phone, email = data.get("name"), data.get("phone"), data.get("email")
        has_errors = any(k in self.errors for k in ("phone", "email"))
        if self.draft.contact_required and not (phone or email) and not has_errors:
            self.add_error("phone", _("Enter a phone number or an e-mail address."))
        if (name or phone or email) and not data.get("consent"):
            self.add_error(
                "consent",
                _("Agree to the privacy notice, or leave your name and contact empty."),
            )
        return data

    def error_links(self):
        """(anchor, message) pairs for the error summary at the top of the page."""
        links = []
        for name, errors in self.errors.items():
            anchor = f"id_{name}" if name in self.fields else ""
            if name == "section":
                anchor = "id_section_0"
            links.extend((anchor, message) for message in errors)
        return links
