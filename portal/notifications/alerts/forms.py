"""The citizen's subscription forms: channel and address, then the one-time code."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.personal_numbers import normalise_phone
from portal.notifications.conf import EMAIL, SMS, ZALO, open_channels

CONSENT = gettext_lazy(
    "I agree that this site keeps my phone number or e-mail address to send me its alerts, "
    "until I stop them, as set out in the personal data notice."
)


class SubscribeForm(forms.Form):
    channel = forms.ChoiceField(
        label=gettext_lazy("Receive alerts by"), widget=forms.RadioSelect, choices=()
    )
    phone = forms.CharField(
        label=gettext_lazy("Phone number (for SMS)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(label=CONSENT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        channels = open_channels()
        self.fields["channel"].choices = channels
        offered = {value for value, _label in channels}
        if len(channels) == 1:
            self.fields["channel"].initial = channels[0][0]
        # Only the addresses the offered channels need.
        if SMS not in offered:
            del self.fields["phone"]
        if EMAIL not in offered:
            del self.fields["email"]
        self.fields["channel"].error_messages["required"] = _("Choose how to receive alerts.")
        self.fields["consent"].error_messages["required"] = _(
            "Agree to the keeping of your address to subscribe."
        )

    def clean(self):
        cleaned = super().clean()
        channel = cleaned.get("channel")
        if channel == SMS:
            phone = normalise_phone(cleaned.get("phone", ""))
            if phone is None:
                self.add_error("phone", _("Enter a Vietnamese phone number, like 0912 345 678."))
            cleaned["address"] = phone or ""
        elif channel == EMAIL:
            if not cleaned.get("email") and "email" not in self.errors:
                self.add_error("email", _("Enter your e-mail address."))
            cleaned["address"] = cleaned.get("email", "")
        elif channel == ZALO:
            cleaned["address"] = ""  # known when the code reaches the Official Account
        return cleaned


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code received by SMS"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": gettext_lazy("Enter the code.")},
    )
