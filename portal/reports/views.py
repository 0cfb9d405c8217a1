"""The admin's statistics screen (Thống kê, báo cáo): figures and tables of a unit for a period,
charts drawn as inline SVG, an XLSX export and the report as DOCX or PDF."""

import datetime
import io
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from portal.core.spreadsheets import safe_cell

from .access import can_make_reports
from .document import build_report
from .document import render as render_document
from .forms import StatisticsFilterForm
from .statistics import statistics_for

BAR_W, GAP, CHART_H, ROW_W = 12, 3, 60, 160
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _chart(table):
    """Bars of the last column per row: a column chart for days, a bar per row otherwise (none
    for the figures per unit: their rows are counts, shares and days side by side)."""
    if table.key == "figures_per_unit":
        return {"kind": "none"}
    values = [row[-1] or 0 for row in table.rows]
    peak = max(values, default=0) or 1
    if table.rows and isinstance(table.rows[0][0], datetime.date):
        bars = [
            {
                "x": i * (BAR_W + GAP),
                "y": CHART_H - round(v * CHART_H / peak),
                "h": round(v * CHART_H / peak),
                "n": v,
                "label": row[0].strftime("%d/%m"),
            }
            for i, (row, v) in enumerate(zip(table.rows, values, strict=True))
        ]
        return {"kind": "days", "bars": bars, "w": max(1, len(bars) * (BAR_W + GAP)), "h": CHART_H}
    return {"kind": "rows", "w": ROW_W}


def _rows(table, chart):
    """The rows to show: their cells and, for the "rows" chart, the width of their bar."""
    values = [row[-1] if isinstance(row[-1], int | float) else 0 for row in table.rows]
    peak = max(values, default=0) or 1
    return [
        {"cells": row, "width": round(v * ROW_W / peak) if chart["kind"] == "rows" else None}
        for row, v in zip(table.rows, values, strict=True)
    ]


def to_xlsx(stats) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Figures")[:31]
    sheet.append([_("Unit"), safe_cell(stats.unit_name)])
    sheet.append([_("From"), stats.date_from, _("To"), stats.date_to])
    sheet.append([])
    sheet.append([_("Figure"), _("Value"), _("Unit of measure"), _("Query")])
    for figure in stats.figures.values():
        sheet.append([figure.label, figure.value, figure.unit, safe_cell(figure.query)])
    sheet.column_dimensions["A"].width = 55
    sheet.column_dimensions["D"].width = 90
    for n, table in enumerate(stats.tables.values(), start=1):
        ws = book.create_sheet(f"{n}. {table.label}"[:31])
        ws.append([table.label])
        ws.append([safe_cell(c) for c in table.columns])
        for row in table.rows:
            ws.append([safe_cell(v) for v in row])
        ws.append([])
        ws.append([_("Query"), safe_cell(table.query)])
        ws.column_dimensions["A"].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _download(data, kind, stats):
    unit = slugify(stats.unit_name)[:60].strip("-")
    name = f"bao-cao-{unit}-{stats.date_from:%Y%m%d}-{stats.date_to:%Y%m%d}"
    response = HttpResponse(data, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _start_run(request, form):
    """A report written in the background, for a period too long to wait for."""
    from .models import ReportRun
    from .tasks import build_report_file

    data = form.cleaned_data
    kind = request.POST.get("format")
    if data.get("template") is None or kind not in ReportRun.Format.values:
        form.add_error("template", _("Choose a report template."))
        return None
    sites = data["site"]
    run = ReportRun.objects.create(
        site=sites[0],
        template=data["template"],
        date_from=data["date_from"],
        date_to=data["date_to"],
        file_format=kind,
        created_by=request.user,
    )
    if len(sites) > 1:
        run.sites.set(sites)
    transaction.on_commit(lambda: build_report_file.delay(run.pk))
    return redirect("reports_run", run.pk)


@require_http_methods(["GET", "POST"])
def statistics_view(request):
    if not can_make_reports(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = StatisticsFilterForm(request.POST, user=request.user)
        started = _start_run(request, form) if form.is_valid() else None
        if started is not None:
            return started
        return render(request, "reports/admin/statistics.html", {"form": form, "stats": None})
    bound = "date_from" in request.GET
    form = StatisticsFilterForm(
        request.GET if bound else StatisticsFilterForm.initial_data(request.user),
        user=request.user,
    )
    context = {"form": form, "stats": None, "header_icon": "table"}
    if form.is_valid():
        data = form.cleaned_data
        kind = request.GET.get("format", "")
        template = data.get("template")
        if kind in ("docx", "pdf") and template is not None:
            report = build_report(data["site"], data["date_from"], data["date_to"], template)
            return _download(render_document(report, kind), kind, report.stats)
        stats = statistics_for(data["site"], data["date_from"], data["date_to"])
        if kind == "xlsx":
            return _download(to_xlsx(stats), "xlsx", stats)
        if kind in ("docx", "pdf"):
            form.add_error("template", _("Choose a report template."))
        context["stats"] = stats
        context["tables"] = [
            {"table": table, "chart": chart, "rows": _rows(table, chart)}
            for table, chart in ((t, _chart(t)) for t in stats.tables.values())
        ]
        context["query"] = urlencode(
            {
                "site": [site.pk for site in data["site"]],
                "date_from": data["date_from"].isoformat(),
                "date_to": data["date_to"].isoformat(),
                "template": template.pk if template else "",
            },
            doseq=True,
        )
    return render(request, "reports/admin/statistics.html", context)


def _get_run(request, pk):
    """A run of the user's own (any run for a superuser), on sites they all still read."""
    from .access import sites_for_reports
    from .models import ReportRun

    if not can_make_reports(request.user):
        raise PermissionDenied
    readable = sites_for_reports(request.user)
    runs = ReportRun.objects.filter(site__in=readable).exclude(
        sites__in=Site.objects.exclude(pk__in=readable.values("pk"))
    )
    if not request.user.is_superuser:
        runs = runs.filter(created_by=request.user)
    return get_object_or_404(runs.select_related("template"), pk=pk)


def run_view(request, pk):
    from .retention import retention_days

    context = {"run": _get_run(request, pk), "retention_days": retention_days()}
    return render(request, "reports/admin/run.html", context)


def run_status(request, pk):
    run = _get_run(request, pk)
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "percent": run.percent,
            "finished": run.finished,
        }
    )


def run_download(request, pk):
    run = _get_run(request, pk)
    if run.status != run.Status.DONE or not run.file:
        raise Http404
    response = FileResponse(
        run.file.open("rb"),
        as_attachment=True,
        filename=run.file.name.rsplit("/", 1)[-1],
        content_type=CONTENT_TYPES[run.file_format],
    )
    response["Cache-Control"] = "private, no-store"
    return response
