"""HTTP hardening: health probes, security headers, Content-Security-Policy, login protection and
the second factor (xác thực hai lớp) for staff who can see personal data.

Settings live in the "Security" section of ``portal/settings/base.py``.
"""

import unicodedata

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q, Sum
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from .net import client_ip
from .text import nfc


class HealthzMiddleware:
    """Answer ``/healthz`` before anything else, host validation included.

    Orchestrators (Docker, a load balancer) probe the container by its address, which is not one of
    ``ALLOWED_HOSTS``; the probe carries no cookie and needs no session, locale or CSRF.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            from .views import healthz

            return healthz(request)
        return self.get_response(request)


def live(request):
    """``/healthz/live``: "ok", having checked nothing (no database, cache or storage).

    Unlike ``/healthz`` it passes through the whole middleware chain, host validation included, so
    it answers only on a served host: it shows that a worker serves requests, and it is the
    baseline the check-in benchmark compares a check-in with (bench/bench_checkpoints.py).
    """
    return HttpResponse("ok", content_type="text/plain")


class NormaliseInputMiddleware:
    """Every query-string and posted value reaches a view in Unicode NFC, without NUL characters.

    NFC: Vietnamese keyboards and some phones send decomposed letters (NFD: "e" + combining marks
    for "ễ"). They look the same but compare unequal, so a name stored as typed on one phone is not
    found by an officer typing it on another, and a search query is split at the marks. Normalising
    here, once, covers every form, filter and search of the portal and the admin (the rule is in
    ``portal.core.text``); uploaded files' contents are left as they are.

    NUL: nobody types one; it only arrives from scanners and broken clients. PostgreSQL refuses it
    in text and JSON columns and even in a lookup's parameters, so one left in any value a view
    passes to the database is a server error. File names are already cleaned by Django's multipart
    parser.

    The work is done in ``process_view``, after CSRF has read the body, so views that change their
    upload handlers (the Wagtail admin's) still can. Nothing is copied when nothing needs cleaning
    (the usual case: an ASCII or NFC value is checked without being rewritten).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        query_string = request.META.get("QUERY_STRING", "")
        # Percent-encoded or raw non-ASCII bytes are the only way to send a NUL or a combining mark.
        if ("%" in query_string or not query_string.isascii()) and _needs_cleaning(request.GET):
            request.GET = _cleaned(request.GET)
        if request.method == "POST" and getattr(view_func, "csrf_exempt", False) is False:
            if _needs_cleaning(request.POST):
                request.POST = _cleaned(request.POST)
        return None


def _unclean(text: str) -> bool:
    return "\x00" in text or not (text.isascii() or unicodedata.is_normalized("NFC", text))


def _needs_cleaning(query) -> bool:
    return any(_unclean(key) or any(map(_unclean, values)) for key, values in query.lists())


def _clean(text: str) -> str:
    return nfc(text.replace("\x00", ""))


def _is_secret(key: str) -> bool:
    # A password is compared byte for byte with what was set, and `createpassword`/`changepassword`
    # at a terminal never pass through here: composing it would lock out whoever set it decomposed.
    return "password" in key.lower()


def _cleaned(query):
    cleaned = query.copy()
    for key, values in query.lists():
        if _clean(key) != key:
            del cleaned[key]
        if _is_secret(key):
            cleaned.setlist(_clean(key), [v.replace("\x00", "") for v in values])
        else:
            cleaned.setlist(_clean(key), [_clean(v) for v in values])
    cleaned._mutable = False
    return cleaned


def may_be_framed_by_the_admin(request) -> bool:
    """The admin's own pages, and a page rendered as a preview for the admin's preview panel.

    Wagtail renders a preview through the whole middleware chain again, with a dummy request for
    the page's public address (``is_preview`` set): by its path alone it would get the public
    ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``, and the browser would refuse to show
    it in the editor's preview frame.
    """
    return getattr(request, "is_preview", False) or is_admin_path(request.path_info)


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy (camera only for the portal); and
    ``X-Frame-Options: SAMEORIGIN`` instead of ``DENY`` where the admin frames its own pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PORTAL_PERMISSIONS_POLICY", None)
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = ", ".join(
                f"{feature}=({' '.join(allow)})" for feature, allow in policy.items()
            )
        if response.get("X-Frame-Options") == "DENY" and may_be_framed_by_the_admin(request):
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp, with a relaxed policy only under the Wagtail admin's prefix.

    Public pages get ``CONTENT_SECURITY_POLICY`` (no 'unsafe-inline'); the Wagtail admin, which uses
    inline scripts and styles, gets ``PORTAL_ADMIN_CONTENT_SECURITY_POLICY`` on its own paths.
    A page rendered as a preview keeps the public policy, except that the admin may frame it.
    """

    # (the CONTENT_SECURITY_POLICY setting it was built from, the header)
    _public = (None, "")

    def process_response(self, request, response):
        """The public policy is the same string on every public response without a nonce or a
        view's own policy: built once, not twice per response (policy and report-only)."""
        if not self._is_plain(request, response):
            return super().process_response(request, response)
        policy = settings.CONTENT_SECURITY_POLICY
        if self._public[0] is not policy:
            self._public = (policy, build_policy())
        prefixes = policy.get("EXCLUDE_URL_PREFIXES") or ()
        if HEADER not in response and not request.path_info.startswith(tuple(prefixes)):
            response[HEADER] = self._public[1]
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @staticmethod
    def _is_plain(request, response) -> bool:
        return not (
            settings.DEBUG
            or not getattr(settings, "CONTENT_SECURITY_POLICY", None)
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or getattr(request, "_csp_nonce", None) is not None
            or getattr(request, "is_preview", False)
            or is_admin_path(request.path_info)
            or any(name.startswith("_csp") for name in vars(response))
        )

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if parts.config is None and is_admin_path(request.path_info):
            parts.config = settings.PORTAL_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        elif getattr(request, "is_preview", False):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        return parts


def is_admin_path(path: str) -> bool:
    return path.startswith(tuple(settings.PORTAL_ADMIN_PATH_PREFIXES))


# --- Login protection (django-axes) ----------------------------------------------------------


class AccountBackend(ModelBackend):
    """Django's accounts and permissions, read in fewer queries on every staff request.

    - The signed-in user comes with their Wagtail profile (language and time zone), which the admin
      reads on every page: one query instead of two.
    - Their permissions, their own and their groups', come in one query instead of two, and with
      their page, collection and site permissions they are kept in the shared cache between
      requests (``core.staff_access``, made stale by any change of who holds what).

    Who holds what is decided exactly as ``ModelBackend`` decides it; only the reading is joined.
    """

    def get_user(self, user_id):
        UserModel = get_user_model()
        try:
            user = UserModel._default_manager.select_related("wagtail_userprofile").get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        from .staff_access import prime

        prime(user)  # permissions from the shared cache (core.staff_access)
        return user

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                held = Permission.objects.all()
            else:
                held = Permission.objects.filter(
                    Q(user=user_obj) | Q(group__user=user_obj)
                ).distinct()
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in held.values_list("content_type__app_label", "codename")
            }
        return user_obj._perm_cache


class LoginAttemptBackend(AxesStandaloneBackend, AccountBackend):
    """django-axes' lockout check, for logins that come through a web request.

    ``authenticate()`` without a request (``manage.py changepassword``, the shell, test clients)
    cannot be brute-forced from the network; django-axes would refuse it outright.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginAttemptHandler(AxesDatabaseHandler):
    """django-axes' failure count, with a ceiling per address on top of the one per user name.

    django-axes compares every lockout parameter with one limit: counting failures per address at
    the per-user limit (5) would lock a whole office behind one address after five typos. Here a
    (user name, address) pair is locked after ``AXES_FAILURE_LIMIT`` failures, and an address after
    ``AXES_ADDRESS_FAILURE_LIMIT`` failures whatever the user names (password spraying: a few
    guesses at many accounts). Both count within the cool-off period; a successful login clears
    only its own user name's failures, so an attacker's own account does not reset the address.
    """

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if failures >= limit:
            return failures
        from_address = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(total=Sum("failures_since_start"))["total"]
        if (from_address or 0) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return limit
        return failures


def axes_client_ip(request) -> str:
    """The client's address behind TRUSTED_PROXY_COUNT proxies, as for rate limits."""
    return client_ip(request)


def axes_lockout(request, credentials, *args, **kwargs):
    """The Vietnamese lockout page (HTTP 429)."""
    response = render(
        request,
        "core/security/lockout.html",
        {"cooloff_minutes": settings.AXES_COOLOFF_MINUTES},
        status=429,
    )
    response["Retry-After"] = str(settings.AXES_COOLOFF_MINUTES * 60)
    return response


# --- Second factor (django-otp) --------------------------------------------------------------


def requires_second_factor(user) -> bool:
    """Whether a user must verify a one-time code (when ``PORTAL_OTP_REQUIRED`` is on).

    Decided by what the user may do, not by the name of a group (a renamed group keeps its
    permissions): superusers, staff who can edit or publish pages, and staff holding any of
    ``PORTAL_OTP_REQUIRED_PERMISSIONS`` (personal data, accounts and roles).
    """
    if not settings.PORTAL_OTP_REQUIRED or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if any(user.has_perm(name) for name in settings.PORTAL_OTP_REQUIRED_PERMISSIONS):
        return True
    from wagtail.permissions import page_permission_policy

    return page_permission_policy.user_has_any_permission(user, {"add", "change", "publish"})


class StaffVerificationMiddleware:
    """A session of staff who must use a second factor can do nothing but verify or log out.

    A user with no confirmed device is sent to the enrolment page, one with a device to the
    verification page; the page they asked for is kept in ``next``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.PORTAL_OTP_REQUIRED
            # Accounts log in by session only: without its cookie nobody is logged in, and
            # asking request.user would only build an anonymous user for nothing.
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and user is not None
            and user.is_authenticated
            and not self._exempt(request.path_info)
            and not user.is_verified()
            and requires_second_factor(user)
        ):
            from django_otp import user_has_device

            name = "core_otp_verify" if user_has_device(user) else "core_otp_enrol"
            target = reverse(name)
            if request.path_info != target:
                return HttpResponseRedirect(
                    f"{target}?{urlencode({'next': request.get_full_path()})}"
                )
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        exempt = [
            reverse("core_otp_verify"),
            reverse("core_otp_enrol"),
            reverse("wagtailadmin_login"),
            reverse("wagtailadmin_logout"),
            settings.STATIC_URL,
            "/healthz",
            "/admin/jsi18n/",
            "/admin/sprite",
        ]
        return path.startswith(tuple(exempt))


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
