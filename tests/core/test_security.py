"""Security headers, Content-Security-Policy, login brute-force protection, the second factor and
private files."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import get_resolver, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.core import roles
from tests.conftest import PRODUCTION_ENV, manage_in_production

ROOT = Path(__file__).resolve().parents[2]


# --- Headers and CSP -------------------------------------------------------------------------


def _directives(header: str) -> dict:
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def test_public_pages_carry_the_security_headers(db, client):
    response = client.get("/bao-ve-du-lieu-ca-nhan/")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=(self)" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_public_csp_allows_nothing_inline_and_no_other_host(db, client):
    response = client.get("/bao-ve-du-lieu-ca-nhan/")
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    directives = _directives(csp)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


def _csp_middleware(view):
    from portal.core.security import ContentSecurityPolicyMiddleware

    return ContentSecurityPolicyMiddleware(view)


def test_the_public_policy_built_once_is_the_policy_django_csp_builds(settings, rf):
    from csp.utils import build_policy
    from django.http import HttpResponse

    middleware = _csp_middleware(lambda request: HttpResponse("ok"))
    first = middleware(rf.get("/healthz/live"))["Content-Security-Policy"]
    assert first == build_policy()
    assert middleware(rf.get("/tin-tuc/"))["Content-Security-Policy"] == first
    # A changed setting is followed, not the string built for the previous one.
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert middleware(rf.get("/"))["Content-Security-Policy"] == "default-src 'none'"
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'self'"]}}
    response = middleware(rf.get("/"))
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert "img-src 'self'" in response["Content-Security-Policy-Report-Only"]


def test_a_response_that_uses_a_nonce_gets_its_own_in_the_header(settings, rf):
    from csp.constants import NONCE
    from csp.exceptions import CSPNonceError
    from django.http import HttpResponse

    def view(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    middleware = _csp_middleware(view)
    nonces = []
    for _ in range(2):
        request = rf.get("/")
        middleware.process_request(request)
        response = middleware.process_response(request, view(request))
        header = _directives(response["Content-Security-Policy"])
        nonce = next(v for v in header["script-src"] if v.startswith("'nonce-"))
        assert nonce[7:-1] in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    # A nonce first asked for after the header was written is an error, as with django-csp.
    request = rf.get("/")
    middleware.process_request(request)
    middleware.process_response(request, HttpResponse("ok"))
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_a_view_s_own_policy_and_exemption_are_kept(rf):
    from csp.decorators import csp_exempt, csp_update
    from django.http import HttpResponse

    updated = _csp_middleware(csp_update({"img-src": ["https://example.org"]})(
        lambda request: HttpResponse("ok")
    ))  # fmt: skip
    assert "https://example.org" in updated(rf.get("/"))["Content-Security-Policy"]
    exempt = _csp_middleware(csp_exempt()(lambda request: HttpResponse("ok")))
    assert "Content-Security-Policy" not in exempt(rf.get("/"))


def test_the_liveness_address_answers_without_checks_with_every_header(db, client):
    response = client.get("/healthz/live")
    assert response.status_code == 200 and response.content == b"ok"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_admin_gets_a_relaxed_csp_on_its_own_paths_only(db, client):
    admin = client.get("/admin/login/")
    assert admin.status_code == 200
    admin_directives = _directives(admin["Content-Security-Policy"])
    assert "'unsafe-inline'" in admin_directives["script-src"]
    assert admin_directives["object-src"] == ["'none'"]
    # A public path that merely contains "admin" is not relaxed.
    public = client.get("/bao-ve-du-lieu-ca-nhan/?next=/admin/")
    assert "unsafe-inline" not in public["Content-Security-Policy"]


def test_healthz_answers_a_probe_by_address_whatever_the_allowed_hosts(db, client, settings):
    settings.ALLOWED_HOSTS = ["vinhloc.thanhhoa.gov.vn"]
    assert client.get("/healthz", HTTP_HOST="10.0.0.5:8000").status_code == 200
    assert client.get("/bao-ve-du-lieu-ca-nhan/", HTTP_HOST="10.0.0.5:8000").status_code == 400


def test_production_settings_harden_cookies_and_transport():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_SSL_REDIRECT, s.PORTAL_OTP_REQUIRED, s.AXES_ENABLED,"
        " 'unsafe-inline' not in str(s.CONTENT_SECURITY_POLICY))"
    )
    result = manage_in_production("shell", "--no-imports", "-c", code)
    assert result.stdout.split() == ["True"] * 9, result.stderr


# --- Brute-force protection (django-axes) -----------------------------------------------------


def _login(client, username, password, ip="203.0.113.10"):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_admin_login_locks_out_after_repeated_failures(db, staff_user_factory, settings):
    settings.LANGUAGE_CODE = "vi"
    user = staff_user_factory(groups=[roles.EDITOR])
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, user.username, "wrong-password").status_code == 200
    locked = _login(client, user.username, "wrong-password")
    assert locked.status_code == 429
    # Now even the right password is refused from that address, with a Vietnamese page.
    again = _login(client, user.username, "pw-for-tests-123")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Đăng nhập sai quá nhiều lần" in again.content.decode()
    assert int(again["Retry-After"]) == settings.AXES_COOLOFF_MINUTES * 60
    # The same account from another address is not locked out.
    other = Client()
    ok = _login(other, user.username, "pw-for-tests-123", ip="198.51.100.20")
    assert ok.status_code == 302
    assert other.session["_auth_user_id"] == str(user.pk)


def test_a_successful_login_resets_the_failure_count(db, staff_user_factory, settings):
    user = staff_user_factory(groups=[roles.EDITOR])
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, user.username, "wrong-password")
    assert _login(client, user.username, "pw-for-tests-123").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, user.username, "wrong-password").status_code == 200


def test_many_user_names_from_one_address_lock_the_address(db, staff_user_factory, settings):
    """Password spraying: a few guesses at many accounts never reaches the per-account limit."""
    settings.AXES_FAILURE_LIMIT, settings.AXES_ADDRESS_FAILURE_LIMIT = 5, 20
    users = [staff_user_factory(groups=[roles.EDITOR]) for _ in range(6)]
    client = Client()
    statuses = [
        _login(client, user.username, "wrong-password").status_code
        for user in users[:5]
        for _ in range(4)
    ]
    # No account had five failures, but the address had twenty: the last one locks it, and even
    # the right password of any account is now refused from here.
    assert statuses == [200] * 19 + [429]
    assert _login(client, users[4].username, "pw-for-tests-123").status_code == 429
    assert _login(client, users[5].username, "pw-for-tests-123").status_code == 429
    assert "_auth_user_id" not in client.session
    # The same people from another address are not affected.
    elsewhere = _login(Client(), users[5].username, "pw-for-tests-123", ip="198.51.100.20")
    assert elsewhere.status_code == 302


def test_a_colleague_s_typos_do_not_lock_others_at_the_same_address(
    db, staff_user_factory, settings
):
    settings.AXES_FAILURE_LIMIT, settings.AXES_ADDRESS_FAILURE_LIMIT = 5, 20
    clumsy, colleague = staff_user_factory(), staff_user_factory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(), clumsy.username, "wrong-password")
    assert _login(Client(), clumsy.username, "pw-for-tests-123").status_code == 429
    assert _login(Client(), colleague.username, "pw-for-tests-123").status_code == 302


def test_logins_without_a_request_still_work(db, staff_user_factory):
    """manage.py commands and test clients authenticate with no request: not refused."""
    user = staff_user_factory()
    assert Client().login(username=user.username, password="pw-for-tests-123")


# --- Second factor (django-otp) --------------------------------------------------------------


def _token(device):
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"


def _forgive_failures(user):
    """django-otp throttles a device after a wrong code (1 s, doubling): skip the wait."""
    TOTPDevice.objects.filter(user=user).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


@pytest.fixture
def otp_required(settings):
    settings.PORTAL_OTP_REQUIRED = True


def _logged_in(user):
    client = Client()
    response = _login(client, user.username, "pw-for-tests-123")
    assert response.status_code == 302
    return client


def test_health_official_must_enrol_then_can_use_the_admin(db, staff_user_factory, otp_required):
    user = staff_user_factory(groups=[roles.HEALTH_OFFICIAL])
    client = _logged_in(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core_otp_enrol"))

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"<svg" in page.content  # the QR code to scan
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong = client.post(reverse("core_otp_enrol"), {"token": "000000", "next": "/admin/"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    _forgive_failures(user)
    ok = client.post(reverse("core_otp_enrol"), {"token": _token(device), "next": "/admin/"})
    assert ok.status_code == 302 and ok["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_enrolled_staff_verify_a_code_in_every_new_session(db, staff_user_factory, otp_required):
    user = staff_user_factory(groups=[roles.ONE_STOP_OFFICER])
    device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)
    client = _logged_in(user)
    response = client.get("/admin/pages/")
    assert response["Location"].startswith(reverse("core_otp_verify"))
    assert "next=%2Fadmin%2Fpages%2F" in response["Location"]
    wrong = client.post(reverse("core_otp_verify"), {"token": "123456", "next": "/admin/pages/"})
    assert wrong.status_code == 200
    assert client.get("/admin/").status_code == 302
    _forgive_failures(user)
    ok = client.post(reverse("core_otp_verify"), {"token": _token(device), "next": "/admin/pages/"})
    assert ok.status_code == 302 and ok["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200


def test_verification_refuses_to_redirect_to_another_host(db, staff_user_factory, otp_required):
    user = staff_user_factory(groups=[roles.ADMINISTRATOR])
    device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)
    client = _logged_in(user)
    ok = client.post(
        reverse("core_otp_verify"), {"token": _token(device), "next": "https://evil.example/"}
    )
    assert ok["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize("group", sorted(roles.ROLE_PERMISSIONS))
def test_every_role_must_enrol_editors_and_approvers_too(
    db, staff_user_factory, otp_required, group
):
    """Editors and approvers publish (or draft) what the whole district reads: a stolen password
    must not be enough for them either."""
    client = _logged_in(staff_user_factory(groups=[group]))
    assert client.get("/admin/")["Location"].startswith(reverse("core_otp_enrol"))


def test_second_factor_follows_permissions_not_group_names(db, staff_user_factory, otp_required):
    from django.contrib.auth.models import Group

    from portal.core.security import requires_second_factor

    health, editor = (
        staff_user_factory(groups=[roles.HEALTH_OFFICIAL]),
        staff_user_factory(groups=[roles.EDITOR]),
    )
    for name in (roles.HEALTH_OFFICIAL, roles.EDITOR):
        Group.objects.filter(name=name).update(name=f"{name} (đổi tên)")
    assert requires_second_factor(health) and requires_second_factor(editor)
    # Someone in no role at all, who can only open the admin, is not asked.
    assert not requires_second_factor(staff_user_factory(perms=["wagtailadmin.access_admin"]))


def test_second_factor_is_not_enforced_when_the_setting_is_off(db, staff_user_factory, settings):
    settings.PORTAL_OTP_REQUIRED = False
    client = _logged_in(staff_user_factory(groups=[roles.HEALTH_OFFICIAL]))
    assert client.get("/admin/").status_code == 200


def test_superusers_need_the_second_factor_too(db, staff_user_factory, otp_required):
    client = _logged_in(staff_user_factory(superuser=True))
    assert client.get("/admin/")["Location"].startswith(reverse("core_otp_enrol"))


# --- Private files ---------------------------------------------------------------------------


def test_private_root_is_outside_media_root_in_every_environment():
    code = (
        "from pathlib import Path; from django.conf import settings as s;"
        "m, p = Path(s.MEDIA_ROOT).resolve(), Path(s.PRIVATE_MEDIA_ROOT).resolve();"
        "print(m != p and m not in p.parents and p not in m.parents)"
    )
    for module in ("dev", "test", "production"):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
        env.update(
            DJANGO_SETTINGS_MODULE=f"portal.settings.{module}",
            DJANGO_SECRET_KEY="s" * 30 + "Zq8!w" * 6,
            DJANGO_ALLOWED_HOSTS="vinhloc.thanhhoa.gov.vn",
            DATABASE_URL="sqlite:////tmp/ops-security-check.sqlite3",
        )
        if module == "production":  # production refuses SQLite, a missing Redis and BASE_URL
            env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="portal.settings.production")
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.stdout.strip() == "True", (module, result.stderr)


def _static_serve_roots(resolver=None):
    from django.views.static import serve

    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _static_serve_roots(pattern)
        elif getattr(pattern, "callback", None) is serve:
            yield pattern.default_args.get("document_root")


def test_no_url_serves_the_private_root(db, client, settings):
    from portal.core.storage import PrivateStorage

    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    for root in _static_serve_roots():
        root = Path(root).resolve()
        assert root != private and root not in private.parents and private not in root.parents
    name = PrivateStorage().save("dossiers/giay-to.pdf", ContentFile(b"%PDF-1.4 secret"))
    for prefix in (settings.MEDIA_URL, "/private/", "/var/private/", "/static/"):
        response = client.get(f"{prefix}{name}")
        assert response.status_code == 404, prefix
        assert b"secret" not in response.content


def test_a_wrong_code_slows_down_the_next_try(db, staff_user_factory, otp_required):
    user = staff_user_factory(groups=[roles.COMMUNE_STAFF])
    device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)
    client = _logged_in(user)
    client.post(reverse("core_otp_verify"), {"token": "111111"})
    # Right away, even the right code is refused, with a message saying to wait.
    throttled = client.post(reverse("core_otp_verify"), {"token": _token(device)})
    assert throttled.status_code == 200
    assert throttled.context["form"].errors["token"] == [
        "Nhập sai quá nhiều lần. Vui lòng đợi vài giây rồi thử lại."
    ]


# --- NUL characters ---------------------------------------------------------------------------


def test_nul_characters_are_dropped_from_query_and_posted_fields(rf):
    from portal.core.security import NormaliseInputMiddleware

    middleware = NormaliseInputMiddleware(lambda request: None)

    def view(request):
        return None

    request = rf.post(
        "/x/?so=1593%00&nam=2021", {"ho\x00ten": "Lê\x00 Văn", "tags": ["a\x00", "b"]}
    )
    middleware.process_view(request, view, (), {})
    assert request.GET["so"] == "1593" and request.GET["nam"] == "2021"
    assert request.POST["hoten"] == "Lê Văn"
    assert request.POST.getlist("tags") == ["a", "b"]
    assert "ho\x00ten" not in request.POST
    assert not request.POST._mutable

    clean = rf.post("/x/?so=1593", {"hoten": "Lê Văn"})
    posted = clean.POST
    middleware.process_view(clean, view, (), {})
    assert clean.POST is posted  # nothing to clean, nothing copied


def test_a_path_with_a_nul_is_not_found(db, client):
    assert client.get("/tin-tuc/%00/").status_code == 404
    assert client.get("/tim-kiem/?q=a%00b").status_code == 200
