"""The back office in the Wagtail admin for the one-stop desk (bộ phận một cửa)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.admin_search import search_q
from portal.core.audit import record
from portal.core.masking import mask_numbers
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


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def scoped_dossiers(user, queryset=None, field="commune"):
    """Dossiers the user may see: the one-stop desk works for the whole district, staff limited
    to some communes see only theirs (core.scope, ``district_desk``)."""
    queryset = Dossier.objects.all() if queryset is None else queryset
    return filter_by_commune(queryset, user, field, district_desk=True)


class FilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Code or applicant"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    service = forms.ChoiceField(label=gettext_lazy("Procedure"), required=False)
    overdue = forms.BooleanField(label=gettext_lazy("Overdue only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All"))] + list(Status.choices)
        self.fields["service"].choices = [("", _("All"))] + [
            (str(p.pk), p.title) for p in ServicePage.objects.order_by("title").only("id", "title")
        ]


def dossier_list(request):
    _require(request, VIEW)
    form = FilterForm(request.GET or None)
    dossiers = scoped_dossiers(request.user).select_related("service").order_by("-submitted_at")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            # Names without diacritics, numbers however typed (core.admin_search).
            dossiers = dossiers.filter(
                search_q(
                    data["q"],
                    ["code", "applicant_name", "applicant_phone", "applicant_id_number"],
                    {"applicant_name": "applicant_name_folded"},
                    ("applicant_phone", "applicant_id_number"),
                )
            )
        if data["status"]:
            dossiers = dossiers.filter(status=data["status"])
        if data["service"]:
            dossiers = dossiers.filter(service_id=data["service"])
        if data["overdue"]:
            dossiers = dossiers.overdue()
    page = Paginator(dossiers, 30).get_page(request.GET.get("p"))
    record(
        request,
        "eservices.list_dossiers",
        parameters={k: mask_numbers(v) for k, v in request.GET.items()},
        count=len(page.object_list),
    )
    query = request.GET.copy()
    query.pop("p", None)
    return render(
        request,
        "eservices/admin/dossier_list.html",
        {
            "page_title": _("Online dossiers"),
            "header_icon": "folder-open-inverse",
            "form": form,
            "page_obj": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
        },
    )


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
        subject=f"{dossier.code}: {previous} → {dossier.status}",
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
