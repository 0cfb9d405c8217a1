"""Posters and paper forms of a checkpoint, withdrawing its code, and bulk poster exports."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.core.scope import communes_for

from .. import posters
from ..models import PosterExport
from .scope import get_scoped_checkpoint, require_perm, scoped_exports


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
            from ..tasks import build_poster_zip

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
