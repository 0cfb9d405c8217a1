"""Keying in a paper visitor log (nhập sổ giấy), row by row."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.core.audit import record

from .. import checkins
from ..forms import (
    PaperRowFormSet,
    PaperSheetForm,
    combine,
)
from ..models import CheckIn, auto_checkout_after
from .scope import get_scoped_checkpoint, require_perm


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
