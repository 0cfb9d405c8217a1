"""The register of checkpoints (danh sách điểm kiểm dịch): form, filters, columns, row actions."""

import django_filters
from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button

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


def _active_label(checkpoint):
    # A word, not Wagtail's tick icon, whose hover text stays in English.
    return _("In use") if checkpoint.is_active else _("Stopped")


def row_actions(instance, user):
    """A checkpoint's posters, paper forms, paper entry and code withdrawal, as (label, url,
    icon, is a download) for the row's menu: at phone width a row has no room for eight links."""
    pk = instance.pk
    actions = []
    if user.has_perm("checkpoints.view_checkpoint"):
        for size, fmt, label in (
            ("A4", "pdf", _("A4 PDF")),
            ("A5", "pdf", _("A5 PDF")),
            ("A4", "png", _("A4 PNG")),
            ("A5", "png", _("A5 PNG")),
        ):
            url = reverse("checkpoints_admin:poster", args=[pk, size, fmt])
            actions.append((label, url, "download", True))
        for kind, label in (
            ("to-khai", _("Paper declaration")),
            ("so-theo-doi", _("Visitor log sheet")),
        ):
            url = reverse("checkpoints_admin:paper", args=[pk, kind])
            actions.append((label, url, "doc-full", True))
    if user.has_perm("checkpoints.add_checkin"):
        url = reverse("checkpoints_admin:paper_entry", args=[pk])
        actions.append((_("Enter paper records"), url, "edit", False))
    if user.has_perm("checkpoints.change_checkpoint"):
        url = reverse("checkpoints_admin:reissue", args=[pk])
        actions.append((_("Withdraw and reissue code"), url, "rotate", False))
    return actions


class CheckpointIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("commune")

    def get_list_more_buttons(self, instance):
        # Wagtail's own row menu (the "..." button by the name), after its Edit and Delete.
        buttons = super().get_list_more_buttons(instance)
        for priority, (label, url, icon, download) in enumerate(
            row_actions(instance, self.request.user), start=100
        ):
            attrs = {"download": ""} if download else None
            buttons.append(Button(label, url=url, icon_name=icon, attrs=attrs, priority=priority))
        return buttons


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
        # Hidden at phone width (checkpoints/admin.css): the name, its menu and the code fit.
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
    ]
    list_per_page = 50


checkpoint_viewset = CheckpointViewSet("checkpoints_register", url_prefix="checkpoints/diem")
