"""Public pages: check-in and check-out at a checkpoint, the short-code page, poster verification.

The check-in page is what a phone opens from the poster's QR code. It is small, works without
JavaScript and cookies (the confirmation lives at its own unguessable URL), and remembers a visitor
only if they ask, in a signed cookie on their own phone: nothing is profiled on the server.
"""

from django.conf import settings
from django.core import signing
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.core import lanes
from portal.core.ratelimit import limit
from portal.core.sites import site_hotline

from . import checkins, codes, limits, remember
from .forms import CheckInForm, QuickCheckInForm, ShortCodeForm, VerifyPosterForm
from .models import CheckIn, Checkpoint, RevokedCode

OPEN_COOKIE = "ckp_open"
OPEN_SALT = "portal.checkpoints.open"


def _render(request, template, context=None, status=200):
    context = context or {}
    context.setdefault("hotline", site_hotline(request))
    context.setdefault("retention_days", settings.PERSONAL_DATA_RETENTION_DAYS)
    context.setdefault("auto_hours", settings.CHECKPOINTS_AUTO_CHECKOUT_HOURS)
    return render(request, template, context, status=status)


def _problem(request, title, message, status, checkpoint=None):
    return _render(
        request,
        "checkpoints/problem.html",
        {"title": title, "message": message, "checkpoint": checkpoint},
        status=status,
    )


def _load_checkpoint(request, code):
    """(checkpoint, None) or (None, an error response) with a clear message for the visitor."""
    from django.utils.translation import gettext as _

    if not codes.CODE_RE.match(code or ""):
        return None, _problem(
            request,
            _("This QR code is not valid"),
            _(
                "The address is incomplete or was changed. Scan the QR code on the poster again, "
                "or type the 6-character code printed under it."
            ),
            404,
        )
    checkpoints = (
        Checkpoint.objects.filter(code=code)
        .select_related("commune")
        .prefetch_related("sub_locations")
    )
    # Not first(): the default ordering would join the commune table for nothing.
    checkpoint = next(iter(checkpoints.order_by()[:1]), None)
    if checkpoint is None:
        revoked = RevokedCode.objects.select_related("checkpoint").filter(code=code).first()
        if revoked is not None:
            return None, _problem(
                request,
                _("This poster is no longer valid"),
                _(
                    "The code of this poster was withdrawn on %(date)s, so check-ins with it "
                    "are not recorded. Look for the new poster of %(name)s, or ask the person "
                    "in charge."
                )
                % {
                    "date": timezone.localtime(revoked.revoked_at).strftime("%d/%m/%Y"),
                    "name": revoked.checkpoint.name,
                },
                410,
            )
        return None, _problem(
            request,
            _("Checkpoint not found"),
            _(
                "No checkpoint has this code. Scan the QR code on the poster again, or type the "
                "6-character code printed under it."
            ),
            404,
        )
    if not checkpoint.is_active:
        return None, _problem(
            request,
            _("This checkpoint is closed"),
            _("%(name)s no longer records check-ins here. Ask the person in charge.")
            % {"name": checkpoint.name},
            410,
            checkpoint,
        )
    return checkpoint, None


_remembered = remember.read
_cookie_kwargs = remember.cookie_kwargs


def _open_token(request):
    try:
        return request.get_signed_cookie(OPEN_COOKIE, salt=OPEN_SALT, default="")
    except signing.BadSignature:
        return ""


def _sub_location_id(form):
    """The chosen sub-location (the form checked it is one of the checkpoint's), or None."""
    value = form.cleaned_data.get("sub_location")
    return int(value) if value else None


@lanes.lean
@never_cache
@require_http_methods(["GET", "POST"])
@limits.limited
def checkin(request, code):
    if request.method == "POST":
        return _post_checkin(request, code)
    checkpoint, problem = _load_checkpoint(request, code)
    if problem:
        return problem
    remembered = _remembered(request)
    token = _open_token(request)
    if token:
        open_checkin = CheckIn.objects.filter(
            token=token, checkpoint=checkpoint, checked_out_at__isnull=True
        ).first()
        if open_checkin is not None:
            return redirect("checkpoints:visit", code=code, token=token)
    if remembered and request.GET.get("moi") != "1":
        return _quick_page(request, checkpoint, remembered, QuickCheckInForm(checkpoint=checkpoint))
    return _full_page(
        request, checkpoint, CheckInForm(checkpoint=checkpoint, initial=remembered or {})
    )


class _SharedFields(dict):
    """A form's fields shared by every instance: copying them makes a new dict of the same field
    objects instead of Django's deep copy of every field and widget (most of a form's cost)."""

    def __deepcopy__(self, memo):
        return dict(self)


def _validating(form_class):
    """``form_class`` for checking a post only, never rendered: its instances share the class's
    fields, which validation only reads. A form shown to the visitor is always a full one."""
    shared = type(f"Validating{form_class.__name__}", (form_class,), {})
    shared.base_fields = _SharedFields(form_class.base_fields)
    return shared


_VALIDATING = {form: _validating(form) for form in (CheckInForm, QuickCheckInForm)}


def _post_checkin(request, code):
    """A check-in post: in the usual case (a valid form, no sub-location) one INSERT, which finds
    the checkpoint by its code itself. Anything else (a form to show again, a sub-location to
    check, a code that is not an open checkpoint's) reads the checkpoint and answers as always."""
    remembered = _remembered(request)
    quick = request.POST.get("action") == "quick" and remembered is not None
    form_class = QuickCheckInForm if quick else CheckInForm
    if not request.POST.get("sub_location"):
        form = _VALIDATING[form_class](request.POST, sub_locations=())
        if form.is_valid():
            visit = _create_checkin(
                request, code, **_checkin_fields(form, remembered if quick else None)
            )
            if visit is not None:
                return _after_checkin(request, code, visit, _remember(form, quick))
    checkpoint, problem = _load_checkpoint(request, code)
    if problem:
        return problem
    form = form_class(request.POST, checkpoint=checkpoint)
    if not form.is_valid():
        if quick:
            return _quick_page(request, checkpoint, remembered, form, status=400)
        return _full_page(request, checkpoint, form, status=400)
    visit = _create_checkin(
        request, code, checkpoint=checkpoint, **_checkin_fields(form, remembered if quick else None)
    )
    return _after_checkin(request, code, visit, _remember(form, quick))


def _checkin_fields(form, remembered):
    """The stay's fields from a valid form (a returning visitor's from their cookie: well)."""
    if remembered is not None:
        person = {"full_name": remembered["full_name"], "phone": remembered["phone"]}
        answers = {"has_symptoms": False, "had_contact": False, "travelled": False}
    else:
        person = {"full_name": form.cleaned_data["full_name"], "phone": form.cleaned_data["phone"]}
        answers = form.answers()
    return {**person, "sub_location_id": _sub_location_id(form), "answers": answers}


def _remember(form, quick):
    """None: leave the remembered details as they are; True/False: remember or forget them."""
    return None if quick else form.cleaned_data["remember"]


def _full_page(request, checkpoint, form, status=200):
    response = _render(
        request,
        "checkpoints/checkin.html",
        {"checkpoint": checkpoint, "form": form, "declaration_url": "/khai-bao-y-te/"},
        status=status,
    )
    return limits.give_device_id(request, response)


def _quick_page(request, checkpoint, remembered, form, status=200):
    response = _render(
        request,
        "checkpoints/checkin_quick.html",
        {"checkpoint": checkpoint, "form": form, "me": remembered},
        status=status,
    )
    return limits.give_device_id(request, response)


def _create_checkin(request, code, *, full_name, phone, sub_location_id, answers, checkpoint=None):
    """Write the stay (checkins.record); None if no open checkpoint has ``code``."""
    return checkins.record(
        code=code,
        checkpoint=checkpoint,
        full_name=full_name,
        phone=phone,
        source=CheckIn.Source.QR,
        sub_location_id=sub_location_id,
        closes_token=_open_token(request),
        **answers,
    )


def _after_checkin(request, code, visit, keep):
    response = HttpResponseRedirect(
        reverse("checkpoints:visit", kwargs={"code": code, "token": visit.token})
    )
    hours = getattr(settings, "CHECKPOINTS_AUTO_CHECKOUT_HOURS", 4)
    response.set_signed_cookie(
        OPEN_COOKIE, visit.token, salt=OPEN_SALT, **_cookie_kwargs(request, hours * 3600)
    )
    if keep:
        remember.remember(response, request, visit.full_name, visit.phone)
    elif keep is False:
        remember.forget(response)
    return response


@lanes.lean
@never_cache
@require_http_methods(["GET", "POST"])
@limits.limited
def visit(request, code, token):
    """The confirmation screen of one stay, with its check-out button (POST checks out)."""
    from django.utils.translation import gettext as _

    checkpoint, problem = _load_checkpoint(request, code)
    if problem:
        return problem
    stay = (
        CheckIn.objects.filter(token=token, checkpoint=checkpoint).first()
        if codes.CODE_RE.match(token)
        else None
    )
    if stay is None:
        return _problem(
            request,
            _("Check-in not found"),
            _(
                "This check-in no longer exists (check-ins are deleted after %(days)s days). "
                "Scan the QR code on the poster to check in again."
            )
            % {"days": settings.PERSONAL_DATA_RETENTION_DAYS},
            404,
            checkpoint,
        )
    just_checked_out = False
    if request.method == "POST" and stay.checked_out_at is None:
        stay.checked_out_at = timezone.now()
        stay.save(update_fields=["checked_out_at"])
        just_checked_out = True
    response = _render(
        request,
        "checkpoints/visit.html",
        {
            "checkpoint": checkpoint,
            "stay": stay,
            "just_checked_out": just_checked_out,
            "just_checked_in": request.method == "GET"
            and (timezone.now() - stay.checked_in_at).total_seconds() < 120,
        },
    )
    if stay.checked_out_at is not None and _open_token(request) == stay.token:
        response.delete_cookie(OPEN_COOKIE)
    return response


@require_http_methods(["POST"])
def forget_me(request, code):
    response = redirect(reverse("checkpoints:checkin", kwargs={"code": code}) + "?moi=1")
    remember.forget(response)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@limit("lookup", method=("POST",))
def enter_code(request):
    """/quet-ma/: type the short code printed under the QR when the camera cannot read it."""
    from django.utils.translation import gettext as _

    if request.method == "POST":
        form = ShortCodeForm(request.POST)
        if form.is_valid():
            short = form.cleaned_data["code"]
            checkpoint = Checkpoint.objects.filter(short_code=short).only("code").first()
            if checkpoint is not None:
                return redirect("checkpoints:checkin", code=checkpoint.code)
            revoked = (
                RevokedCode.objects.filter(short_code=short).select_related("checkpoint").first()
            )
            if revoked is not None:
                form.add_error(
                    "code",
                    _(
                        "The code %(code)s was withdrawn on %(date)s. Look for the new poster "
                        "of %(name)s."
                    )
                    % {
                        "code": codes.format_short_code(short),
                        "date": timezone.localtime(revoked.revoked_at).strftime("%d/%m/%Y"),
                        "name": revoked.checkpoint.name,
                    },
                )
            else:
                form.add_error(
                    "code",
                    _("No checkpoint has the code %(code)s. Check the poster and try again.")
                    % {"code": codes.format_short_code(short)},
                )
        status = 400
    else:
        form = ShortCodeForm(initial={"code": request.GET.get("ma", "")[:20]})
        status = 200
    return _render(request, "checkpoints/enter_code.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@limit("lookup", method=("POST",))
def verify_poster(request):
    """/kiem-tra-ap-phich/: is this poster genuine and still valid?"""
    result = None
    if request.method == "POST":
        form = VerifyPosterForm(request.POST)
        if form.is_valid():
            short = form.cleaned_data["code"]
            candidate = form.cleaned_data["verification"]
            checkpoint = (
                Checkpoint.objects.select_related("commune").filter(short_code=short).first()
            )
            if checkpoint and codes.verification_matches(
                checkpoint.code, checkpoint.code_issued_on, candidate
            ):
                result = {"status": "valid", "checkpoint": checkpoint}
            else:
                revoked = next(
                    (
                        r
                        for r in RevokedCode.objects.select_related("checkpoint").filter(
                            short_code=short
                        )
                        if codes.verification_matches(r.code, r.issued_on, candidate)
                    ),
                    None,
                )
                if revoked is not None:
                    result = {"status": "revoked", "revoked": revoked}
                else:
                    result = {"status": "forged"}
    else:
        form = VerifyPosterForm(initial={"code": request.GET.get("ma", "")[:20]})
    return _render(
        request,
        "checkpoints/verify_poster.html",
        {"form": form, "result": result},
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )
