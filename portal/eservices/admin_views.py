"""The back office in the Wagtail admin for the one-stop desk (bộ phận một cửa)."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.permission_policies import ModelPermissionPolicy

from portal.core import audit
from portal.core.admin_scope import ScopedViewMixin
from portal.core.admin_search import FoldedSearchMixin
from portal.core.audit import AuditedListingMixin, record
from portal.core.scope import filter_by_commune
from portal.core.storage import detected_content_type

from .filing import notify_applicant
from .forms import MultipleFileField
from .models import Dossier, DossierEvent, DossierFile, ServicePage, Status, SupplementRequest
from .models.dossiers import FINISHED_STATUSES
from .schema import all_fields, answer_rows
from .validation import check_uploads

VIEW, PROCESS = "eservices.view_dossier", "eservices.process_dossier"
NOTE_REQUIRED = {
    Status.REFUSED,
    Status.SUPPLEMENT,
    Status.STOPPED,
    Status.FINANCIAL,
    Status.WITHDRAWN,
}


audit.register_actions(
    {
        "eservices": gettext_lazy("Online dossiers"),
        "eservices.list_dossiers": gettext_lazy("Dossier list viewed"),
        "eservices.view_dossier": gettext_lazy("Dossier viewed"),
        "eservices.process_dossier": gettext_lazy("Dossier stage changed"),
        "eservices.download_file": gettext_lazy("Dossier file downloaded"),
        "eservices.resend_email": gettext_lazy("E-mail to an applicant sent again"),
    }
)
audit.register_parameters(
    {
        "status": gettext_lazy("Status"),
        "service": gettext_lazy("Procedure"),
        "overdue": gettext_lazy("Overdue only"),
    }
)


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def scoped_dossiers(user, queryset=None, field="commune"):
    """Dossiers the user may see: the one-stop desk works for the whole district, staff limited
    to some communes see only theirs (core.scope, ``district_desk``)."""
    queryset = Dossier.objects.all() if queryset is None else queryset
    return filter_by_commune(queryset, user, field, district_desk=True)


class DossierFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=Status.choices, empty_label=gettext_lazy("All")
    )
    service = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Procedure"),
        queryset=lambda request: ServicePage.objects.order_by("title"),
        empty_label=gettext_lazy("All"),
    )
    # A list, not a checkbox: the chosen filter reads "Ngày hẹn trả: Chỉ hồ sơ quá hạn".
    overdue = django_filters.ChoiceFilter(
        label=gettext_lazy("Due date"),
        choices=[("on", gettext_lazy("Overdue only"))],
        empty_label=gettext_lazy("All"),
        method="filter_overdue",
    )

    class Meta:
        model = Dossier
        fields = []

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset


class DossierPermissionPolicy(ModelPermissionPolicy):
    """The listing is for staff who may view dossiers; stages change on the detail screen."""

    def user_has_permission(self, user, action):
        return action == "view" and user.has_perm(VIEW)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and user.has_perm(VIEW)


class DueDateColumn(Column):
    def get_value(self, instance):
        if instance.due_date is None:
            return "—"
        overdue = (
            format_html(' <span class="status-tag primary">{}</span>', _("overdue"))
            if instance.is_overdue
            else ""
        )
        return format_html("{}{}", date_format(instance.due_date, "d/m/Y"), overdue)


class ApplicantColumn(Column):
    def get_value(self, instance):
        if instance.applicant_organisation:
            return format_html("{}<br>{}", instance.applicant_name, instance.applicant_organisation)
        return instance.applicant_name


def _detail_url(dossier):
    return reverse("eservices_admin:detail", args=[dossier.pk])


class DossierIndexView(ScopedViewMixin, AuditedListingMixin, FoldedSearchMixin, IndexView):
    """The desk's list of dossiers: within the user's communes (``district_desk``), searched by
    code, name without diacritics and numbers however typed (core.admin_search), filtered by
    stage, procedure and lateness; each page shown is audited with the dossiers it showed."""

    template_name = "eservices/admin/dossier_list.html"
    page_title = gettext_lazy("Online dossiers")
    header_icon = "folder-open-inverse"
    paginate_by = 30
    default_ordering = "-submitted_at"
    is_searchable = True
    search_fields = ["code", "applicant_name", "applicant_phone", "applicant_id_number"]
    folded_fields = {"applicant_name": "applicant_name_folded"}
    number_fields = ("applicant_phone", "applicant_id_number")
    audit_list_action = "eservices.list_dossiers"
    columns = [
        TitleColumn("code", label=gettext_lazy("Dossier code"), get_url=_detail_url),
        Column("service_title", label=gettext_lazy("Procedure")),
        ApplicantColumn("applicant_name", label=gettext_lazy("Applicant")),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        Column(
            "submitted_at",
            label=gettext_lazy("Received at"),
            accessor=lambda d: date_format(timezone.localtime(d.submitted_at), "H:i d/m/Y"),
            sort_key="submitted_at",
        ),
        DueDateColumn("due_date", label=gettext_lazy("Due date"), sort_key="due_date"),
    ]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("service")

    def get_search_form(self):
        form = super().get_search_form()
        if form is not None:
            form.fields["q"].label = _("Code or applicant")
            form.fields["q"].widget.attrs["placeholder"] = _("Code, applicant, phone or ID number")
        return form

    def get_add_url(self):
        return None  # dossiers are filed by citizens, not added here


class ActionForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("New status"))
    note = forms.CharField(
        label=gettext_lazy("Note to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    fields = forms.MultipleChoiceField(
        label=gettext_lazy("Fields and files to supplement"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    results = MultipleFileField(label=gettext_lazy("Result files (PDF)"), required=False)

    def __init__(self, dossier, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        self.fields["status"].choices = [(s.value, s.label) for s in dossier.next_statuses()]
        self.fields["fields"].choices = [(f["key"], f["label"]) for f in all_fields(dossier.schema)]

    def clean_results(self):
        files = self.files.getlist(self.add_prefix("results")) if self.files else []
        if not files:
            return []
        checked = check_uploads(files, _("Result files"), ["pdf", "jpg", "png", "docx"], 20, 10)
        for upload, _kind, safe in checked:
            upload.safe_name = safe
        return [u for u, _k, _s in checked]

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status in NOTE_REQUIRED and not cleaned.get("note"):
            self.add_error("note", _("Write a note for the applicant explaining this decision."))
        if status == Status.SUPPLEMENT and not cleaned.get("fields"):
            self.add_error("fields", _("Choose the fields or files the applicant must supplement."))
        return cleaned


def dossier_detail(request, pk):
    _require(request, VIEW)
    dossier = get_object_or_404(
        scoped_dossiers(request.user).select_related("form_version", "service"), pk=pk
    )
    can_process = request.user.has_perm(PROCESS)
    form = ActionForm(dossier)
    if request.method == "POST":
        if not can_process:
            raise PermissionDenied
        form = ActionForm(dossier, request.POST, request.FILES)
        if form.is_valid():
            apply_action(request, dossier, form.cleaned_data)
            messages.success(
                request,
                _("Dossier %(code)s: %(status)s.")
                % {"code": dossier.code, "status": dossier.get_status_display()},
            )
            return redirect("eservices_admin:detail", pk=dossier.pk)
    else:
        record(request, "eservices.view_dossier", subject=dossier.code, count=1)
    files = dossier.files.all()
    return render(
        request,
        "eservices/admin/dossier_detail.html",
        {
            "page_title": dossier.code,
            "page_subtitle": dossier.service_title,
            "header_icon": "folder-open-inverse",
            "dossier": dossier,
            "rows": answer_rows(dossier.schema, dossier.answers),
            "attachments": [f for f in files if f.kind == DossierFile.Kind.ATTACHMENT],
            "results": [f for f in files if f.kind == DossierFile.Kind.RESULT],
            "events": dossier.events.select_related("actor"),
            "form": form if dossier.next_statuses() else None,
            "can_process": can_process,
            "supplements": dossier.supplements.all(),
        },
    )


@transaction.atomic
def apply_action(request, dossier, data):
    previous = dossier.status
    dossier.status = data["status"]
    if dossier.status in FINISHED_STATUSES or dossier.status == Status.DONE:
        dossier.finished_at = dossier.finished_at or timezone.now()
    if dossier.assignee_id is None:
        dossier.assignee = request.user
    dossier.save()
    for upload in data.get("results") or []:
        item = DossierFile(
            dossier=dossier,
            kind=DossierFile.Kind.RESULT,
            original_name=upload.safe_name,
            content_type=detected_content_type(upload),
            size=upload.size,
        )
        upload.seek(0)
        item.file.save(upload.safe_name, upload, save=False)
        item.save()
    DossierEvent.objects.create(
        dossier=dossier,
        status=dossier.status,
        previous_status=previous,
        note=data.get("note", ""),
        actor=request.user,
        actor_name=request.user.get_full_name() or request.user.get_username(),
    )
    supplement_url = None
    if dossier.status == Status.SUPPLEMENT:
        dossier.supplements.filter(fulfilled_at__isnull=True).update(fulfilled_at=timezone.now())
        supplement = SupplementRequest.objects.create(
            dossier=dossier,
            fields=data["fields"],
            note=data.get("note", ""),
            created_by=request.user,
        )
        supplement_url = request.build_absolute_uri(
            reverse("eservices:supplement", kwargs={"token": supplement.token})
        )
    notify_applicant(
        dossier,
        "eservices/email/status_changed.txt",
        note=data.get("note", ""),
        supplement_url=supplement_url,
    )
    record(
        request,
        "eservices.process_dossier",
        subject=f"{dossier.code}: {Status(previous).label} → {dossier.get_status_display()}",
        count=1,
    )


def dossier_file(request, pk):
    """An attachment or result, only to staff who may view dossiers; every download audited."""
    _require(request, VIEW)
    item = get_object_or_404(
        scoped_dossiers(
            request.user, DossierFile.objects.select_related("dossier"), "dossier__commune"
        ),
        pk=pk,
    )
    record(
        request,
        "eservices.download_file",
        subject=f"{item.dossier.code}/{item.original_name}",
        count=1,
    )
    with item.file.open("rb") as fh:
        # The type found in the stored bytes, not the one the uploading browser declared.
        response = HttpResponse(fh.read(), content_type=detected_content_type(fh))
    response["Content-Disposition"] = f'attachment; filename="{item.original_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response
