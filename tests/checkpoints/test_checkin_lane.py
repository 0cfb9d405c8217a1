"""The lean chain of check-in and check-out posts (portal.core.lanes): what it skips and why,
and that a post through it is as guarded as through the whole chain."""

import pytest
from django.conf import settings
from django.test import Client

from portal.checkpoints.models import CheckIn
from portal.core import lanes

FORM = {
    "full_name": "Nguyễn Thị Hoa",
    "phone": "0912345678",
    "has_symptoms": "no",
    "had_contact": "no",
    "travelled": "no",
    "consent": "on",
}


def test_the_lean_chain_is_the_whole_chain_minus_named_skips_in_the_same_order():
    chain = list(settings.MIDDLEWARE)
    assert chain.index("portal.core.lanes.LaneMiddleware") == 1  # right after the health probe
    lean = lanes.lean_middleware()
    assert lean == [m for m in chain[2:] if m not in lanes.LEAN_SKIPS]
    # Every skip names a middleware that is there, with its reason.
    assert set(lanes.LEAN_SKIPS) <= set(chain)
    assert all(reason.strip() for reason in lanes.LEAN_SKIPS.values())
    # What guards a post stays in it.
    for kept in (
        "django.middleware.security.SecurityMiddleware",
        "portal.core.security.SecurityHeadersMiddleware",
        "portal.core.security.ContentSecurityPolicyMiddleware",
        "portal.core.unit_reform.RetiredHostMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "portal.core.security.NormaliseInputMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "django_ratelimit.middleware.RatelimitMiddleware",
    ):
        assert kept in lean, kept


@pytest.mark.django_db(transaction=True)
def test_a_check_in_post_takes_the_lean_chain_and_keeps_csrf_and_the_headers(checkpoint):
    client = Client(enforce_csrf_checks=True)
    page = client.get(checkpoint.checkin_path)
    assert not getattr(page.wsgi_request, "lean_post", False)  # pages take the whole chain
    # Without the token: refused by CSRF, as through the whole chain.
    refused = client.post(checkpoint.checkin_path, FORM)
    assert refused.status_code == 403
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    done = client.post(checkpoint.checkin_path, {**FORM, "csrfmiddlewaretoken": token})
    assert done.status_code == 302
    assert done.wsgi_request.lean_post is True
    assert not hasattr(done.wsgi_request, "session")  # what it skips is not run
    for header in ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy"):
        assert header in done, header
    assert done["X-Content-Type-Options"] == "nosniff"
    # A post that fails validation is shown again through the lean chain, in Vietnamese.
    again = client.post(
        checkpoint.checkin_path, {**FORM, "phone": "12", "csrfmiddlewaretoken": token}
    )
    assert again.status_code == 400 and again.wsgi_request.lean_post
    assert "Số điện thoại" in again.content.decode()


@pytest.mark.django_db(transaction=True)
def test_an_unknown_host_is_refused_on_the_lean_chain(checkpoint, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client(enforce_csrf_checks=False, HTTP_HOST="evil.example")
    assert client.post(checkpoint.checkin_path, FORM).status_code == 400
    assert not CheckIn.objects.exists()
