"""The register of checkpoints (danh sách điểm kiểm dịch): form, filters, columns, row actions."""

import django_filters
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from portal.core.admin_scope import ScopedViewSetMixin
from portal.core.scope import communes_for

from .. import codes
from ..models import Checkpoint
from .scope import communes_choices


class CheckpointForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "commune" in self.fields and self.for_user is not None:
            self.fields["commune"].queryset = communes_for(self.for_user)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if name[:1] in "=+-@":
            raise forms.ValidationError(_("A name cannot start with =, +, - or @."))
        return name

    def clean_responsible_phone(self):
        value = self.cleaned_data.get("responsible_phone", "")
        if not value:
            return ""
        phone = codes.normalise_phone(value)
        if phone is None:
            raise forms.ValidationError(
                _("Enter a Vietnamese phone number, like 0912345678 or +84912345678.")
            )
        return phone

    def save(self, commit=True):
        instance = super().save(commit=False)
        if self.for_user is not None:
            if instance.pk is None:
                instance.created_by = self.for_user
            instance.updated_by = self.for_user
        if commit:
            instance.save()
            self.save_m2m()
        return instance


Checkpoint.base_form_class = CheckpointForm


class CheckpointFilterSet(WagtailFilterSet):
    commune = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Commune"), queryset=communes_choices
    )
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Type"), choices=Checkpoint.Kind.choices)
    is_active = django_filters.BooleanFilter(label=gettext_lazy("Active"))

    class Meta:
        model = Checkpoint
        fields = ["commune", "kind", "is_active"]


class LinksColumn(Column):
    cell_template_name = "checkpoints/admin/links_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["instance"] = instance
        return context


def _active_label(checkpoint):
    # A word, not Wagtail's tick icon, whose hover text stays in English.
    return _("In use") if checkpoint.is_active else _("Stopped")


class CheckpointIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("commune")


class CheckpointViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Checkpoint
    scope_field = "commune"
    icon = "site"
    add_to_admin_menu = False
    copy_view_enabled = False
    index_view_class = CheckpointIndexView
    filterset_class = CheckpointFilterSet
    search_fields = ["name", "address", "short_code"]
    list_display = [
        "name",
        "commune",
        # Hidden at phone width (checkpoints/admin.css): the name, the code and the posters fit.
        Column(
            "kind", label=gettext_lazy("Type"), accessor="get_kind_display", classname="ckp-wide"
        ),
        Column(
            "short_code",
            label=gettext_lazy("Code"),
            accessor="short_code_display",
            classname="ckp-nowrap",
        ),
        Column(
            "is_active", label=gettext_lazy("Active"), accessor=_active_label, classname="ckp-wide"
        ),
        LinksColumn("links", label=gettext_lazy("Posters and paper")),
    ]
    list_per_page = 50


checkpoint_viewset = CheckpointViewSet("checkpoints_register", url_prefix="checkpoints/diem")
