"""Importing checkpoints from a CSV or Excel file."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .. import exports
from ..imports import ImportFileError, import_checkpoints
from .scope import require_perm


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
