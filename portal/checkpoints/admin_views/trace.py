"""The tracing console (truy vết): visitors of a place, a person's check-ins, a case's contacts."""

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.core.audit import record
from portal.core.masking import mask

from .. import exports, tracing
from ..forms import (
    ContactsForm,
    PersonForm,
    VisitorsForm,
    default_window,
)
from .scope import require_perm, scoped_checkpoints

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
    # Without JavaScript the search box is sent by GET and the list comes back narrowed; with
    # it, checkpoint-filter.js narrows the list as the user types.
    search = (request.GET.get("tim") or "").strip()[:100]
    forms_ = {
        "visitors": VisitorsForm(
            queryset=checkpoints, initial={"start": start, "end": end}, search=search
        ),
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
            "search": search,
            "window": {"start": start, "end": end},
            "header_icon": "search",
        },
    )


def _who(data):
    return data.get("phone") or data.get("id_number") or ""


def _title(mode, data, who):
    """What was searched, with the time window it covered."""
    if mode == "visitors":
        return _("Visitors of %(place)s from %(start)s to %(end)s") % {
            "place": data["checkpoint"],
            "start": _fmt(data["start"]),
            "end": _fmt(data["end"]),
        }
    if mode == "person":
        return _("Check-ins of %(who)s") % {"who": who}
    now = timezone.now()
    return _("Contacts of %(who)s (buffer %(buffer)s minutes) from %(start)s to %(end)s") % {
        "who": who,
        "buffer": data["buffer"],
        "start": _fmt(now - timedelta(days=data["days"])),
        "end": _fmt(now),
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
