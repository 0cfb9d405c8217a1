"""Staff scanning a visitor's personal QR code (quét mã cá nhân)."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import checkins, codes
from ..forms import (
    StaffScanForm,
)
from ..models import CheckIn, auto_checkout_after
from .scope import require_perm, scoped_checkpoints


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
