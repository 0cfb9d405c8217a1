"""Admin screens: checkpoint and check-in viewsets scoped per commune, posters, import, paper entry,
staff scanning, the tracing console and the retention log."""

from datetime import timedelta

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from portal.core.admin_scope import ScopedViewSetMixin
from portal.core.admin_search import FoldedSearchMixin
from portal.core.audit import record
from portal.core.masking import mask
from portal.core.scope import communes_for, filter_by_commune

from . import checkins, codes, exports, posters, tracing
from . import forms as public_forms
from .forms import (
    ContactsForm,
    PaperRowFormSet,
    PaperSheetForm,
    PersonForm,
    StaffScanForm,
    VisitorsForm,
    combine,
    default_window,
)
from .imports import ImportFileError, import_checkpoints
from .models import CheckIn, Checkpoint, PosterExport, RetentionRun, auto_checkout_after


def scoped_checkpoints(user):
    return filter_by_commune(Checkpoint.objects.select_related("commune"), user)


def get_scoped_checkpoint(user, pk):
    return get_object_or_404(
        filter_by_commune(Checkpoint.objects.select_related("commune", "commune__parent"), user),
        pk=pk,
    )


def scoped_exports(user):
    """Poster exports the user made, within the communes they still work on (an export of
    "all my communes" has none)."""
    exports_ = PosterExport.objects.select_related("commune")
    if user.is_superuser:
        return exports_
    mine = exports_.filter(created_by=user)
    return filter_by_commune(mine, user) | mine.filter(commune__isnull=True)


def require_perm(user, *perms):
    if not all(user.has_perm(p) for p in perms):
        raise PermissionDenied


# --- Checkpoint viewset --------------------------------------------------------------------------
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


def _communes_choices(request):
    return communes_for(request.user) if request else Checkpoint.objects.none()


class CheckpointFilterSet(WagtailFilterSet):
    commune = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Commune"), queryset=_communes_choices
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


# --- Check-in viewset ----------------------------------------------------------------------------
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
        label=gettext_lazy("Commune"), queryset=_communes_choices
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


checkpoint_viewset = CheckpointViewSet("checkpoints_register", url_prefix="checkpoints/diem")
checkin_viewset = CheckInViewSet("checkpoints_checkins", url_prefix="checkpoints/luot")


# --- Posters -------------------------------------------------------------------------------------
def poster_download(request, pk, size, fmt):
    require_perm(request.user, "checkpoints.view_checkpoint")
    checkpoint = get_scoped_checkpoint(request.user, pk)
    if size not in ("A4", "A5") or fmt not in ("pdf", "png"):
        raise Http404
    if fmt == "pdf":
        body, content_type = posters.poster_pdf(checkpoint, size), "application/pdf"
    else:
        body, content_type = posters.poster_png(checkpoint, size), "image/png"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{posters.poster_filename(checkpoint, size, fmt)}"'
    )
    return response


def paper_download(request, pk, kind):
    require_perm(request.user, "checkpoints.view_checkpoint")
    checkpoint = get_scoped_checkpoint(request.user, pk)
    if kind == "to-khai":
        body = posters.declaration_form_pdf(checkpoint)
    elif kind == "so-theo-doi":
        raw = str(request.GET.get("to", "1"))
        sheets = min(max(int(raw), 1), 20) if raw.isdigit() else 1
        body = posters.visitor_log_pdf(checkpoint, sheets=sheets)
    else:
        raise Http404
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{kind}-{checkpoint.commune.code}-{checkpoint.short_code}.pdf"'
    )
    return response


@require_http_methods(["GET", "POST"])
def reissue_code(request, pk):
    require_perm(request.user, "checkpoints.change_checkpoint")
    checkpoint = get_scoped_checkpoint(request.user, pk)
    if request.method == "POST":
        old = checkpoint.short_code_display
        checkpoint.reissue_code(request.user)
        messages.success(
            request,
            _("The code %(old)s was withdrawn; the new code is %(new)s. Print the new poster.")
            % {"old": old, "new": checkpoint.short_code_display},
        )
        return redirect("checkpoints_register:edit", checkpoint.pk)
    return render(
        request, "checkpoints/admin/reissue.html", {"checkpoint": checkpoint, "header_icon": "site"}
    )


class PosterExportForm(forms.ModelForm):
    class Meta:
        model = PosterExport
        fields = ["commune", "size", "file_format"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes_for(user)
        self.fields["commune"].empty_label = _("All my communes")


@require_http_methods(["GET", "POST"])
def poster_exports(request):
    require_perm(request.user, "checkpoints.add_posterexport")
    if request.method == "POST":
        form = PosterExportForm(request.POST, user=request.user)
        if form.is_valid():
            export = form.save(commit=False)
            export.created_by = request.user
            export.save()
            from .tasks import build_poster_zip

            transaction.on_commit(lambda: build_poster_zip.delay(export.pk))
            return redirect("checkpoints_admin:export", export.pk)
    else:
        form = PosterExportForm(user=request.user)
    recent = scoped_exports(request.user).order_by("-created_at")
    return render(
        request,
        "checkpoints/admin/exports.html",
        {"form": form, "exports": recent[:20], "header_icon": "download"},
    )


def _get_export(request, pk):
    return get_object_or_404(scoped_exports(request.user), pk=pk)


def poster_export(request, pk):
    require_perm(request.user, "checkpoints.view_posterexport")
    export = _get_export(request, pk)
    return render(
        request, "checkpoints/admin/export.html", {"export": export, "header_icon": "download"}
    )


def poster_export_status(request, pk):
    require_perm(request.user, "checkpoints.view_posterexport")
    export = _get_export(request, pk)
    return JsonResponse(
        {
            "status": export.status,
            "status_label": export.get_status_display(),
            "done": export.done,
            "total": export.total,
            "percent": export.percent,
            "finished": export.finished,
            "download_url": reverse("checkpoints_admin:export_download", args=[export.pk])
            if export.status == PosterExport.Status.DONE
            else "",
        }
    )


def poster_export_download(request, pk):
    require_perm(request.user, "checkpoints.view_posterexport")
    export = _get_export(request, pk)
    if export.status != PosterExport.Status.DONE or not export.file:
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.file.name.rsplit("/", 1)[-1],
        content_type="application/zip",
    )


# --- Import --------------------------------------------------------------------------------------
class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or Excel file"),
        help_text=gettext_lazy(
            "Columns: ten, ma_xa, dia_chi (required); loai, nguoi_phu_trach, dien_thoai."
        ),
    )


@require_http_methods(["GET", "POST"])
def import_view(request):
    require_perm(request.user, "checkpoints.add_checkpoint")
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = import_checkpoints(form.cleaned_data["file"], request.user)
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                if report.created:
                    messages.success(
                        request,
                        _("%(n)s checkpoints were added.") % {"n": len(report.created)},
                    )
                if report.refused:
                    messages.warning(
                        request,
                        _("%(n)s rows were refused: see the list below, fix them and import "
                          "only those rows again.") % {"n": len(report.refused)},
                    )  # fmt: skip
    else:
        form = ImportForm()
    return render(
        request,
        "checkpoints/admin/import.html",
        {"form": form, "report": report, "header_icon": "upload"},
    )


def import_template(request):
    require_perm(request.user, "checkpoints.add_checkpoint")
    body = exports.to_csv(
        ["ten", "loai", "ma_xa", "dia_chi", "nguoi_phu_trach", "dien_thoai"],
        [["Trường THCS Vĩnh Thành", "trường học", "15367", "Thôn 3, xã Vĩnh Thành", "", ""]],
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-diem-kiem-dich.csv"'
    return response


# --- Paper entry ---------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def paper_entry(request, pk):
    require_perm(request.user, "checkpoints.add_checkin")
    checkpoint = get_scoped_checkpoint(request.user, pk)
    try:
        rows = min(max(int(request.GET.get("dong", 15)), 1), 60)
    except ValueError:
        rows = 15
    saved = 0
    if request.method == "POST":
        sheet = PaperSheetForm(request.POST)
        formset = PaperRowFormSet(request.POST, prefix="r")
        if sheet.is_valid():
            day = sheet.cleaned_data["day"]
            keep = []
            now = timezone.now()
            for row_form in formset.forms:
                if not row_form.has_content():
                    continue
                if not row_form.is_valid():
                    keep.append(
                        {k: row_form.data.get(row_form.add_prefix(k), "") for k in row_form.fields}
                    )
                    continue
                data = row_form.cleaned_data
                start = combine(day, data["time_in"])
                end = combine(day, data["time_out"]) if data.get("time_out") else None
                auto = False
                if end is None and start + auto_checkout_after() < now:
                    end, auto = start + auto_checkout_after(), True
                checkins.record(
                    checkpoint=checkpoint,
                    full_name=data["full_name"],
                    phone=data["phone"],
                    source=CheckIn.Source.PAPER,
                    now=now,
                    id_number=data["id_number"],
                    checked_in_at=start,
                    checked_out_at=end,
                    closed_automatically=auto,
                    has_symptoms=data["risk"],
                    entered_by=request.user,
                    paper_row=data["row"],
                )
                saved += 1
            if saved:
                messages.success(request, _("%(n)s rows were saved.") % {"n": saved})
                record(
                    request,
                    "checkpoints.paper_entry",
                    subject=str(checkpoint),
                    parameters={"day": day.isoformat()},
                    count=saved,
                )
            if not keep:
                return redirect(
                    reverse("checkpoints_admin:paper_entry", args=[checkpoint.pk])
                    + f"?ngay={day.isoformat()}"
                )
            # Keep only the rows that still need fixing, with their errors shown again.
            formset = _formset_with_rows(keep, rows, validate=True)
            messages.warning(
                request, _("%(n)s rows need fixing: they are shown below.") % {"n": len(keep)}
            )
    else:
        day = request.GET.get("ngay") or timezone.localdate().isoformat()
        sheet = PaperSheetForm(initial={"day": day})
        formset = _formset_with_rows([], rows)
    return render(
        request,
        "checkpoints/admin/paper_entry.html",
        {
            "checkpoint": checkpoint,
            "sheet": sheet,
            "formset": formset,
            "rows": rows,
            "header_icon": "edit",
        },
    )


def _formset_with_rows(kept_rows, blank_rows, validate=False):
    total = len(kept_rows) + blank_rows
    data = {"r-TOTAL_FORMS": str(total), "r-INITIAL_FORMS": "0"}
    for i, row in enumerate(kept_rows):
        for key, value in row.items():
            data[f"r-{i}-{key}"] = value
    formset = PaperRowFormSet(data, prefix="r")
    if validate:
        for form in formset.forms[: len(kept_rows)]:
            form.is_valid()
        for form in formset.forms[len(kept_rows) :]:
            form._errors = {}
    else:
        for form in formset.forms:
            form._errors = {}
    return formset


# --- Staff scan ----------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def staff_scan(request):
    require_perm(request.user, "checkpoints.add_checkin")
    queryset = scoped_checkpoints(request.user).filter(is_active=True)
    result = None
    if request.method == "POST":
        form = StaffScanForm(request.POST, queryset=queryset)
        if form.is_valid():
            checkpoint = form.cleaned_data["checkpoint"]
            result = _scan(request, checkpoint, form.cleaned_data["token"])
            if result.get("error"):
                form.add_error("token", result["error"])
            else:
                form = StaffScanForm(initial={"checkpoint": checkpoint.pk}, queryset=queryset)
    else:
        form = StaffScanForm(initial={"checkpoint": request.GET.get("diem")}, queryset=queryset)
    return render(
        request,
        "checkpoints/admin/scan.html",
        {"form": form, "result": result, "header_icon": "tick-inverse"},
    )


def _scan(request, checkpoint, token):
    try:
        from portal.eservices.health import declaration_from_token
    except ImportError:
        return {"error": _("Health declarations are not available on this portal yet.")}
    declaration = declaration_from_token(token.strip())
    if declaration is None:
        return {
            "error": _(
                "This personal QR code is not valid or has expired. Ask the visitor to declare "
                "again, or enter them from the paper form."
            )
        }
    phone = codes.normalise_phone(declaration.phone) or ""
    id_number = codes.normalise_id_number(declaration.id_number) or ""
    now = timezone.now()
    open_stay = (
        CheckIn.objects.filter(
            checkpoint=checkpoint,
            checked_out_at__isnull=True,
            declaration_id=declaration.pk,
            checked_in_at__gt=now - auto_checkout_after(),
        )
        .order_by("-checked_in_at")
        .first()
    )
    if open_stay is not None:
        open_stay.checked_out_at = now
        open_stay.save(update_fields=["checked_out_at"])
        return {"action": "out", "stay": open_stay}
    stay = checkins.record(
        checkpoint=checkpoint,
        full_name=declaration.full_name,
        phone=phone,
        source=CheckIn.Source.STAFF_SCAN,
        now=now,
        id_number=id_number,
        has_symptoms=bool(getattr(declaration, "symptoms", None)),
        had_contact=bool(getattr(declaration, "exposures", None)),
        travelled=bool(getattr(declaration, "travelled", False)),
        declaration_id=declaration.pk,
        entered_by=request.user,
    )
    return {"action": "in", "stay": stay, "risk": declaration.has_risk_signs}


# --- Tracing console -----------------------------------------------------------------------------
HEADER = [
    "Mức",
    "Họ và tên",
    "Số điện thoại",
    "Số CCCD",
    "Điểm kiểm dịch",
    "Xã",
    "Vào",
    "Ra",
    "Trùng với",
    "Phút trùng",
]


def _fmt(dt):
    return timezone.localtime(dt).strftime("%d/%m/%Y %H:%M") if dt else ""


def _stay_row(stay, level="", via="", minutes=""):
    return [
        level,
        stay.full_name,
        stay.phone,
        stay.id_number,
        stay.checkpoint.name,
        stay.checkpoint.commune.name,
        _fmt(stay.checked_in_at),
        _fmt(stay.checked_out_at) or _("(open)"),
        via,
        minutes,
    ]


@require_http_methods(["GET", "POST"])
def trace(request):
    require_perm(
        request.user,
        "checkpoints.trace_contacts",
        "checkpoints.view_checkpoint",
        "checkpoints.view_checkin",
    )
    mode = request.POST.get("mode") or request.GET.get("mode") or "contacts"
    if mode not in ("visitors", "person", "contacts"):
        mode = "contacts"
    checkpoints = scoped_checkpoints(request.user)
    start, end = default_window()
    forms_ = {
        "visitors": VisitorsForm(queryset=checkpoints, initial={"start": start, "end": end}),
        "person": PersonForm(),
        "contacts": ContactsForm(),
    }
    rows, title, result = None, "", None
    if request.method == "POST":
        if mode == "visitors":
            form = VisitorsForm(request.POST, queryset=checkpoints)
        elif mode == "person":
            form = PersonForm(request.POST)
        else:
            form = ContactsForm(request.POST)
        forms_[mode] = form
        if form.is_valid():
            rows, title, params, result = _run_query(request, mode, form.cleaned_data)
            export = request.POST.get("export")
            action = f"checkpoints.trace.{mode}" + (f".export.{export}" if export else "")
            # The screen shows the number searched; the audit log, which erasure cannot reach,
            # keeps it masked like every other record of a person's identifiers.
            subject = _title(mode, form.cleaned_data, mask(_who(form.cleaned_data)))
            record(request, action, subject=subject, parameters=params, count=len(rows))
            if export in ("csv", "xlsx"):
                stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
                if export == "csv":
                    response = HttpResponse(
                        exports.to_csv(HEADER, rows), content_type="text/csv; charset=utf-8"
                    )
                else:
                    response = HttpResponse(
                        exports.to_xlsx(HEADER, rows),
                        content_type="application/vnd.openxmlformats-officedocument."
                        "spreadsheetml.sheet",
                    )
                response["Content-Disposition"] = (
                    f'attachment; filename="truy-vet-{mode}-{stamp}.{export}"'
                )
                return response
    return render(
        request,
        "checkpoints/admin/trace.html",
        {
            "mode": mode,
            "forms": forms_,
            "rows": rows,
            "header": HEADER,
            "title": title,
            "result": result,
            "header_icon": "search",
        },
    )


def _who(data):
    return data.get("phone") or data.get("id_number") or ""


def _title(mode, data, who):
    if mode == "visitors":
        return _("Visitors of %(place)s from %(start)s to %(end)s") % {
            "place": data["checkpoint"],
            "start": _fmt(data["start"]),
            "end": _fmt(data["end"]),
        }
    if mode == "person":
        return _("Check-ins of %(who)s") % {"who": who}
    return _("Contacts of %(who)s (buffer %(buffer)s minutes)") % {
        "who": who,
        "buffer": data["buffer"],
    }


def _run_query(request, mode, data):
    """Rows, the title shown, the audit parameters (identifiers masked) and the contact result."""
    user = request.user
    title = _title(mode, data, _who(data))
    if mode == "visitors":
        stays = tracing.visitors(data["checkpoint"], data["start"], data["end"], user=user)
        params = {
            "checkpoint": data["checkpoint"].pk,
            "start": data["start"].isoformat(),
            "end": data["end"].isoformat(),
        }
        return [_stay_row(s) for s in stays], title, params, None
    params = {"person": mask(_who(data))}
    if mode == "person":
        stays = tracing.person_checkins(data["phone"], data["id_number"], user=user)
        return [_stay_row(s) for s in stays], title, params, None
    result = tracing.contacts(
        data["phone"],
        data["id_number"],
        buffer_minutes=data["buffer"],
        depth=data["depth"],
        days=data["days"],
        user=user,
    )
    rows = [_stay_row(s, level=_("Case")) for s in result.case_stays]
    for c in result.contacts:
        rows.append(_stay_row(c.stay, f"F{c.depth}", c.via, c.overlap_minutes))
    params.update(buffer=data["buffer"], depth=data["depth"], days=data["days"])
    return rows, title, params, result


def retention_log(request):
    require_perm(request.user, "checkpoints.view_checkin")
    return render(
        request,
        "checkpoints/admin/retention.html",
        {"runs": RetentionRun.objects.all()[:60], "header_icon": "bin"},
    )
