"""The second factor in the Wagtail admin (xác thực hai lớp): enrol a TOTP app, verify a code.

django-otp supplies the devices and the per-session verification; these two admin pages and
``portal.core.security.StaffVerificationMiddleware`` enforce it for the staff who need it
(``PORTAL_OTP_REQUIRED``; who needs it is decided by permission, ``requires_second_factor``).
wagtail-2fa was not used: it targets Wagtail 2–4, pulls in qrcode and six, and can only require a
second factor of every admin user.
"""

import segno
from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail import hooks

from .security import requires_second_factor, safe_next

WRONG_CODE = gettext_lazy("The code is wrong or has expired. Try the current code.")
THROTTLED = gettext_lazy("Too many wrong codes. Wait a few seconds and try again.")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "")


def _pending_device(user):
    """The unconfirmed TOTP device being enrolled, made once and kept until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
    return device


@never_cache
@sensitive_post_parameters("token")
def enrol(request):
    """Show a QR code to scan with an authenticator app, then confirm it with a first code."""
    user = request.user
    if user_has_device(user, confirmed=True) and not user.is_verified():
        return redirect(f"{reverse('core_otp_verify')}?next={reverse('wagtailadmin_home')}")
    device = _pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("token", THROTTLED)
        elif device.verify_token(form.cleaned_data["token"]):
            if user.is_verified():
                # A verified user adding a new app: the old devices go.
                TOTPDevice.objects.filter(user=user, confirmed=True).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-step verification is on for your account."))
            return redirect(safe_next(request, reverse("wagtailadmin_home")))
        else:
            form.add_error("token", WRONG_CODE)
    qr = segno.make(device.config_url, error="m")
    return TemplateResponse(
        request,
        "core/security/otp_enrol.html",
        {
            "form": form,
            "qr_svg": qr.svg_inline(scale=4, omitsize=True, dark="#1b1b1b", light="#ffffff"),
            "secret": _base32(device),
            "next": safe_next(request, ""),
            "required": requires_second_factor(user),
        },
    )


@never_cache
@sensitive_post_parameters("token")
def verify(request):
    """Ask for the current code once per session."""
    user = request.user
    if not user_has_device(user, confirmed=True):
        return redirect(reverse("core_otp_enrol"))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
        if not any(device.verify_is_allowed()[0] for device in devices):
            form.add_error("token", THROTTLED)
        else:
            for device in devices:
                if device.verify_token(form.cleaned_data["token"]):
                    otp_login(request, device)
                    return redirect(safe_next(request, reverse("wagtailadmin_home")))
            form.add_error("token", WRONG_CODE)
    return TemplateResponse(
        request,
        "core/security/otp_verify.html",
        {"form": form, "next": safe_next(request, "")},
    )


def _base32(device) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("xac-thuc-hai-lop/", enrol, name="core_otp_enrol"),
        path("xac-thuc-hai-lop/ma/", verify, name="core_otp_verify"),
    ]


@hooks.register("register_account_menu_item")
def account_menu_item(request):
    return {
        "url": reverse("core_otp_enrol"),
        "label": _("Two-step verification"),
        "help_text": _("Protect your account with a code from an authenticator app."),
    }
