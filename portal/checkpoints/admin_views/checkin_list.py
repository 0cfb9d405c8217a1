"""The register of check-ins (lượt khai báo), scoped per commune; every view of it is audited."""

from datetime import timedelta

import django_filters
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from portal.core.admin_scope import ScopedViewSetMixin
from portal.core.admin_search import FoldedSearchMixin

from .. import codes
from .. import forms as public_forms
from ..models import CheckIn
from .scope import communes_choices, scoped_checkpoints


class CheckInForm(WagtailAdminModelForm):
    # Typed as people write them ("038 090 001 234"), stored by the one rule: longer than the
    # stored value, so the model field's length does not refuse the spaces.
    id_number = public_forms.IdNumberField(label=gettext_lazy("ID number"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "checkpoint" in self.fields and self.for_user is not None:
            self.fields["checkpoint"].queryset = scoped_checkpoints(self.for_user)

    def clean_full_name(self):
        # The rule of every check-in form: NFC, no invisible characters, no formula, no digits.
        return public_forms.clean_name(self.cleaned_data.get("full_name", ""))

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "")
        if not value:
            return ""
        phone = codes.normalise_phone(value)
        if phone is None:
            raise forms.ValidationError(
                _("Enter a Vietnamese phone number, like 0912345678 or +84912345678.")
            )
        return phone

    def clean(self):
        data = super().clean()
        start, end = data.get("checked_in_at"), data.get("checked_out_at")
        if start and end:
            if end < start:
                self.add_error("checked_out_at", _("The time out is before the time in."))
            elif end - start > timedelta(hours=24):
                self.add_error("checked_out_at", _("A stay cannot last more than 24 hours."))
        if not data.get("phone") and not data.get("id_number"):
            self.add_error("phone", _("Enter a phone number or an ID number."))
        return data


class CheckInFilterSet(WagtailFilterSet):
    checkpoint__commune = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Commune"), queryset=communes_choices
    )
    source = django_filters.ChoiceFilter(
        label=gettext_lazy("Source"), choices=CheckIn.Source.choices
    )

    class Meta:
        model = CheckIn
        fields = ["checkpoint__commune", "source"]


class CheckInIndexView(FoldedSearchMixin, generic.IndexView):
    folded_fields = {"full_name": "name_folded"}
    number_fields = ("phone", "id_number")

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("checkpoint")


class CheckInViewSet(ScopedViewSetMixin, ModelViewSet):
    model = CheckIn
    scope_field = "checkpoint__commune"
    # Personal data: each listing and each view of one check-in is in the audit log.
    audit_action = "checkpoints.checkins"
    # Check-ins are not content: the reference index would list visitors' names on a checkpoint's
    # usage screen and cost a write per check-in.
    add_to_reference_index = False
    icon = "list-ul"
    add_to_admin_menu = False
    copy_view_enabled = False
    index_view_class = CheckInIndexView
    filterset_class = CheckInFilterSet
    search_fields = ["full_name", "phone", "id_number"]
    form_fields = [
        "checkpoint",
        "full_name",
        "phone",
        "id_number",
        "checked_in_at",
        "checked_out_at",
        "has_symptoms",
        "had_contact",
        "travelled",
        "paper_row",
    ]
    list_display = ["full_name", "checkpoint", "checked_in_at", "checked_out_at", "source"]
    list_per_page = 50

    def get_form_class(self, for_update=False):
        from django.forms import modelform_factory

        return modelform_factory(CheckIn, form=CheckInForm, fields=self.form_fields)


checkin_viewset = CheckInViewSet("checkpoints_checkins", url_prefix="checkpoints/luot")
