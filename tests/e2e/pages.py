"""Where each public page type and admin screen lives in the demo content.

Found through the database and URL names, so the list follows the features as they land: a type
whose app, model or demo content is not there yet is reported in ``missing`` instead of failing
the import. Used by the accessibility sweep, the screenshots and ``bench/bench_page_weight.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class PageTypes:
    found: dict[str, str] = field(default_factory=dict)  # name -> path
    missing: dict[str, str] = field(default_factory=dict)  # name -> why


def _live_page(model: str, app_label: str | None = None) -> str:
    from wagtail.models import Page, Site

    # The parent site's pages (both languages): the browser reaches the test server by its
    # address, and the commune sites of the demo answer at their own host names.
    pages = Page.objects.live().public().filter(content_type__model=model.lower())
    for site in Site.objects.filter(is_default_site=False).select_related("root_page"):
        pages = pages.not_descendant_of(site.root_page, inclusive=True)
    if app_label:
        pages = pages.filter(content_type__app_label=app_label)
    page = pages.order_by("-first_published_at", "path").first()
    if page is None:
        raise LookupError(f"no live {model} in the demo content")
    parts = page.specific.get_url_parts()
    if not parts:
        raise LookupError(f"{model} has no URL (is it under the default site?)")
    return parts[2]


def _reverse(name: str, **kwargs) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch as exc:
        raise LookupError(f"no URL named {name}") from exc


def _checkin_page() -> str:
    from django.apps import apps

    try:
        checkpoint_model = apps.get_model("checkpoints", "Checkpoint")
    except LookupError as exc:
        raise LookupError("no Checkpoint model") from exc
    checkpoint = checkpoint_model.objects.filter(is_active=True).order_by("pk").first()
    if checkpoint is None:
        raise LookupError("no active checkpoint in the demo content")
    return checkpoint.checkin_path


def _procedure_form() -> str:
    from django.apps import apps

    try:
        service_page = apps.get_model("eservices", "ServicePage")
    except LookupError as exc:
        raise LookupError("no ServicePage model") from exc
    for page in service_page.objects.live().public().order_by("path"):
        if getattr(page, "has_online_form", None) is False:
            continue
        return _reverse("eservices:apply_start", slug=page.slug)
    raise LookupError("no live procedure with an online form")


PUBLIC: list[tuple[str, Callable[[], str]]] = [
    ("home", lambda: "/"),
    ("news index", lambda: _live_page("NewsIndexPage")),
    ("news item", lambda: _live_page("NewsPage")),
    ("app guide index", lambda: _live_page("AppGuideIndexPage")),
    ("app guide", lambda: _live_page("AppGuidePage")),
    ("directive register", lambda: _live_page("DirectiveIndexPage")),
    ("directive", lambda: _live_page("DirectivePage")),
    ("work schedule", lambda: _reverse("news:schedule")),
    ("search results", lambda: _reverse("home:search") + "?q=khai+bao+y+te"),
    ("organisation (English)", lambda: _live_page("OrganisationPage")),
    ("procedure catalogue", lambda: _live_page("ServiceIndexPage")),
    ("procedure", lambda: _live_page("ServicePage")),
    ("procedure form, first step", _procedure_form),
    ("dossier status lookup", lambda: _reverse("eservices:lookup")),
    ("health declaration, first step", lambda: _reverse("eservices:health_start")),
    ("check-in page", _checkin_page),
    ("check-in by short code", lambda: _reverse("checkpoints:enter_code")),
    ("poster verification", lambda: _reverse("checkpoints:verify_poster")),
    ("privacy notice", lambda: _reverse("core:privacy")),
    ("page not found (404)", lambda: "/khong-co-trang-nay/"),
]

# Admin screens for the screenshots (logged in as the demo superuser).
ADMIN: list[tuple[str, Callable[[], str]]] = [
    ("admin login", lambda: "/admin/login/"),
    ("admin dashboard", lambda: "/admin/"),
    ("admin page explorer", lambda: "/admin/pages/"),
    ("admin news editor", lambda: f"/admin/pages/{_page_id('NewsPage')}/edit/"),
    ("admin workflow tasks", lambda: "/admin/workflows/tasks/index/"),
    ("admin checkpoints", lambda: _reverse("checkpoints_register:index")),
    ("admin new checkpoint", lambda: _reverse("checkpoints_register:add")),
    ("admin check-ins", lambda: _reverse("checkpoints_checkins:index")),
    ("admin bulk posters", lambda: _reverse("checkpoints_admin:exports")),
    ("admin tracing", lambda: _reverse("checkpoints_admin:trace")),
    ("admin scan a personal QR", lambda: _reverse("checkpoints_admin:scan")),
    ("admin dossiers", lambda: _reverse("eservices_admin:list")),
    ("admin audit log", lambda: _reverse("core_audit_log")),
    ("admin personal data requests", lambda: _reverse("core_privacy_requests")),
]


def _page_id(model: str) -> int:
    from wagtail.models import Page

    page = Page.objects.filter(content_type__model=model.lower()).order_by("path").first()
    if page is None:
        raise LookupError(f"no {model} in the demo content")
    return page.pk


def resolve(table) -> PageTypes:
    """Resolve a table of (name, finder) to paths; needs database access."""
    result = PageTypes()
    for name, finder in table:
        try:
            result.found[name] = finder()
        except LookupError as exc:
            result.missing[name] = str(exc)
    return result


def public_pages() -> PageTypes:
    return resolve(PUBLIC)


def admin_pages() -> PageTypes:
    return resolve(ADMIN)
