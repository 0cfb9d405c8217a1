from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.text import nfc

from .models import PageReason, Satisfaction, ServiceReason

# The reasons offered after each answer.
YES_REASONS = [PageReason.CLEAR, PageReason.COMPLETE, PageReason.OTHER]
NO_REASONS = [PageReason.UNCLEAR, PageReason.MISSING, PageReason.OUTDATED, PageReason.OTHER]


class _Comment(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Anything else? (optional, do not write personal details)"),
            required=False,
            max_length=300,
            widget=forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
            **kwargs,
        )

    def clean(self, value):
        return nfc(super().clean(value)).strip()


class PageReasonForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why?"), widget=forms.RadioSelect, required=False)
    comment = _Comment()

    def __init__(self, *args, useful: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [
            (r.value, r.label) for r in (YES_REASONS if useful else NO_REASONS)
        ]


class ServiceRatingForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you with this service?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are.")},
    )
    reasons = forms.MultipleChoiceField(
        label=_("What should be better? (optional)"),
        choices=ServiceReason.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    comment = _Comment()
