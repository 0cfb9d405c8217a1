"""Staff scanning a visitor's personal QR code (quét mã cá nhân).

The page takes a code typed by a hand-held scanner (a plain form, no JavaScript needed) or read by
the phone's camera (scan.js). With JavaScript every scan is first queued on the phone with the time
it was made and a random id, then sent to ``scan_sync``: a scan made while the network is down is
sent when it returns and recorded at the time it was made; a scan sent twice (the answer lost on
the way) is recorded once.
"""

import json
from datetime import datetime, timedelta

from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import checkins, codes
from ..forms import StaffScanForm
from ..models import CheckIn, auto_checkout_after
from .scope import require_perm, scoped_checkpoints

# A queued scan older than this is refused (the paper log is the way to enter it): the phone
# was offline for days, or its clock is wrong.
OLDEST_QUEUED_SCAN = timedelta(hours=48)
# How long a sent scan's id is remembered, so that sending it again records nothing new.
SEEN_FOR = 3 * 24 * 3600
MAX_BATCH = 200


@require_http_methods(["GET", "POST"])
def staff_scan(request):
    require_perm(request.user, "checkpoints.add_checkin")
    queryset = scoped_checkpoints(request.user).filter(is_active=True)
    result = None
    if request.method == "POST":
        form = StaffScanForm(request.POST, queryset=queryset)
        if form.is_valid():
            checkpoint = form.cleaned_data["checkpoint"]
            result = scan(request.user, checkpoint, form.cleaned_data["token"])
            if result.get("error"):
                form.add_error("token", result["error"])
            else:
                form = StaffScanForm(initial={"checkpoint": checkpoint.pk}, queryset=queryset)
    else:
        form = StaffScanForm(initial={"checkpoint": request.GET.get("diem")}, queryset=queryset)
    return render(
        request,
        "checkpoints/admin/scan.html",
        {
            "form": form,
            "result": result,
            "scan_text": _scan_text(),
            "header_icon": "tick-inverse",
        },
    )


def _scan_text():
    """What scan.js says, in the user's language ({n}, {name}, {time} filled in there)."""
    return {
        "waiting": _("{n} scans waiting to be sent"),
        "queued": _("No network: the scan is kept on this phone and sent when it returns."),
        "sending": _("Sending…"),
        "login": _(
            "You are signed out: sign in again to send the scans (they are kept on this phone)."
        ),
        "in": _("{name} checked in at {time}."),
        "out": _("{name} checked out at {time}."),
        "risk": _(
            "The declaration shows symptoms or contact with a case: follow the health "
            "station's instructions."
        ),
        "chooseCheckpoint": _("Choose the checkpoint first."),
        "noCamera": _(
            "The camera could not be opened: allow this page to use it, or type the code."
        ),
        "pointCamera": _("Hold the QR code in front of the camera."),
        "startCamera": _("Scan with the camera"),
        "stopCamera": _("Stop the camera"),
    }


@require_POST
def scan_sync(request):
    """Scans queued on a phone, as JSON ``{"scans": [{"id", "checkpoint", "token",
    "scanned_at"}]}``; the answer says, for each id, what was recorded or why nothing was."""
    require_perm(request.user, "checkpoints.add_checkin")
    try:
        scans = json.loads(request.body or b"{}").get("scans", [])
    except (ValueError, AttributeError):
        scans = None
    if not isinstance(scans, list) or len(scans) > MAX_BATCH:
        return JsonResponse({"error": _("The scans sent could not be read.")}, status=400)
    places = {c.pk: c for c in scoped_checkpoints(request.user).filter(is_active=True)}
    results = []
    for item in scans:
        if not isinstance(item, dict):
            continue
        client_id = str(item.get("id") or "")[:64]
        results.append({"id": client_id, **_sync_one(request.user, places, client_id, item)})
    return JsonResponse({"results": results})


def _sync_one(user, places, client_id, item):
    key = f"checkpoints:scan:{user.pk}:{client_id}" if client_id else None
    if key and (seen := cache.get(key)) is not None:
        return {**seen, "repeated": True}
    try:
        checkpoint = places.get(int(item.get("checkpoint")))
    except (TypeError, ValueError):
        checkpoint = None
    if checkpoint is None:
        return {"ok": False, "error": _("Choose one of your checkpoints that is in use.")}
    at, error = _scan_time(item.get("scanned_at"))
    if error:
        return {"ok": False, "error": error}
    outcome = scan(user, checkpoint, str(item.get("token") or "")[:300], at=at)
    if outcome.get("error"):
        answer = {"ok": False, "error": outcome["error"]}
    else:
        stay = outcome["stay"]
        when = stay.checked_out_at if outcome["action"] == "out" else stay.checked_in_at
        answer = {
            "ok": True,
            "action": outcome["action"],
            "name": stay.full_name,
            "checkpoint": checkpoint.name,
            "time": timezone.localtime(when).strftime("%H:%M %d/%m/%Y"),
            "risk": bool(outcome.get("risk")),
        }
    if key:
        cache.set(key, answer, SEEN_FOR)
    return answer


def _scan_time(raw):
    """The time a queued scan was made, or an error when it is unreadable or too old."""
    now = timezone.now()
    if not raw:
        return now, ""
    # A phone whose clock runs ahead: its scan is recorded at the time it reached the portal.
    try:
        at = parse_datetime(str(raw))
    except ValueError:
        at = None
    if at is None:
        return None, _("The time of the scan could not be read.")
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > now:
        return now, ""
    if at < now - OLDEST_QUEUED_SCAN:
        return None, _(
            "This scan was made on %(time)s, more than 48 hours ago: enter the visitor from the "
            "paper log instead."
        ) % {"time": timezone.localtime(at).strftime("%H:%M %d/%m/%Y")}
    return at, ""


def scan(user, checkpoint, token, at: datetime | None = None):
    """Check the visitor of ``token`` in at ``checkpoint`` at ``at`` (now by default), or out if
    they have an open stay there; a scan already recorded at that very time is not recorded
    again."""
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
    at = at or timezone.now()
    stays = CheckIn.objects.filter(checkpoint=checkpoint, declaration_id=declaration.pk)
    # The same scan sent again after its answer was lost: what it recorded then.
    if (same := stays.filter(checked_in_at=at).first()) is not None:
        return {"action": "in", "stay": same, "risk": declaration.has_risk_signs}
    if (same := stays.filter(checked_out_at=at).first()) is not None:
        return {"action": "out", "stay": same}
    open_stay = (
        stays.filter(
            checked_out_at__isnull=True,
            checked_in_at__lte=at,
            checked_in_at__gt=at - auto_checkout_after(),
        )
        .order_by("-checked_in_at")
        .first()
    )
    if open_stay is not None:
        open_stay.checked_out_at = at
        open_stay.save(update_fields=["checked_out_at"])
        return {"action": "out", "stay": open_stay}
    stay = checkins.record(
        checkpoint=checkpoint,
        full_name=declaration.full_name,
        phone=codes.normalise_phone(declaration.phone) or "",
        source=CheckIn.Source.STAFF_SCAN,
        now=at,
        id_number=codes.normalise_id_number(declaration.id_number) or "",
        has_symptoms=bool(getattr(declaration, "symptoms", None)),
        had_contact=bool(getattr(declaration, "exposures", None)),
        travelled=bool(getattr(declaration, "travelled", False)),
        declaration_id=declaration.pk,
        entered_by=user,
    )
    return {"action": "in", "stay": stay, "risk": declaration.has_risk_signs}
