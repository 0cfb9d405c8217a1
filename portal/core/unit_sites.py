"""Creating the site of an administrative unit (a commune's, or any unit's): one service used by
``manage.py create_unit_site`` and by the demo content.

A unit's site is a Wagtail ``Site`` at its own host name with its own root ``HomePage``, the
default sections under it, ``PortalSettings`` naming the unit, two groups (the site's editors and
its approvers) whose page permissions are on that root only, a collection for the site's images
and documents that only those groups (and the district-wide roles) may use, and a moderation
workflow whose approvers are the site's. Everything is found before it is made, so running it
again changes nothing and repairs what is missing.

Core imports no app: each app adds its sections through the ``BUILD_UNIT_SITE_HOOK`` hook
(``build(home, unit)``, in the app's ``wagtail_hooks.py``), the home page model is looked up by
its label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page, Site

from . import roles
from .sites import default_site, unit_slug

BUILD_UNIT_SITE_HOOK = "portal_build_unit_site"
HOME_PAGE_MODEL = "home.HomePage"

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1", "")

# How the unit types read in English (addresses and organisation names in English).
KIND_EN = {
    "xa": "Commune",
    "thi-tran": "Town",
    "phuong": "Ward",
    "dac-khu": "Special Zone",
    "huyen": "District",
    "quan": "Urban District",
    "thi-xa": "Town",
    "thanh-pho": "City",
    "tinh": "Province",
}


class UnitSiteError(Exception):
    """A unit's site cannot be made as asked (its host belongs to another site...)."""


@dataclass
class UnitSite:
    site: Site
    home: Page
    editors: Group
    approvers: Group
    collection: Collection
    created: list[str] = field(default_factory=list)  # what this run made or repaired


def unit_phrase(unit) -> str:
    """The unit inside a sentence: the type in lower case ("thị trấn Vĩnh Lộc", "xã Vĩnh Hùng"),
    as official documents write "Ủy ban nhân dân xã Vĩnh Hùng"."""
    name = unit.display_name
    if unit.name and name.endswith(unit.name) and name != unit.name:
        kind = name[: -len(unit.name)]
        return kind.lower() + unit.name
    return name


def unit_name_en(unit) -> str:
    from .text import fold

    plain = " ".join(w.capitalize() for w in fold(unit.name).split())
    kind = KIND_EN.get(unit.kind)
    return f"{plain} {kind}" if kind else plain


def unit_address(unit) -> str:
    """ "Thị trấn Vĩnh Lộc, huyện Vĩnh Lộc, tỉnh Thanh Hóa": the unit and its parents."""
    parts, current, depth = [unit.display_name], unit.parent, 0
    while current is not None and depth < 3:
        parts.append(unit_phrase(current))
        current, depth = current.parent, depth + 1
    return ", ".join(parts)


def unit_address_en(unit) -> str:
    parts, current, depth = [], unit, 0
    while current is not None and depth < 4:
        parts.append(unit_name_en(current))
        current, depth = current.parent, depth + 1
    return ", ".join([*parts, "Viet Nam"])


def editors_group_name(unit) -> str:
    return f"{roles.EDITOR} – {unit.display_name}"


def approvers_group_name(unit) -> str:
    return f"{roles.APPROVER} – {unit.display_name}"


def default_port() -> int:
    base = urlsplit(settings.BASE_URL)
    return base.port or (443 if base.scheme == "https" else 80)


def parent_host() -> str:
    """The host under which units' sites are named: the parent site's; on a development machine
    (the parent at 127.0.0.1 or localhost) ``localhost``, whose subdomains browsers resolve to
    this machine."""
    parent = default_site()
    host = ((parent.hostname if parent else "") or "").lower()
    if host in LOOPBACK_HOSTS or host.startswith("127."):
        host = "localhost"
    return host


def default_hostname(unit) -> str:
    """``<unit slug>.<parent host>``."""
    return f"{unit_slug(unit)}.{parent_host()}"


def ensure_child(parent, model, slug, **fields):
    """The child of ``parent`` of type ``model`` (the sections allow one per parent), made live
    with ``fields`` if missing. Returns (page, created)."""
    page = model.objects.child_of(parent).first()
    if page is not None:
        return page, False
    now = timezone.now()
    # The sections of a unit's home page make its main menu (portal_tags).
    fields.setdefault("show_in_menus", True)
    page = model(slug=slug, live=True, first_published_at=now, last_published_at=now, **fields)
    parent.add_child(instance=page)
    return page, True


def site_for_unit_exact(unit) -> Site | None:
    from .models import PortalSettings

    found = PortalSettings.objects.filter(unit=unit).select_related("site").first()
    return found.site if found else None


def _slugs(unit):
    """The unit's slug, then the slug with its code: two units can fold to one slug ("Xã Vĩnh
    Hưng" and "Xã Vĩnh Hùng" are both "xa-vinh-hung")."""
    slug = unit_slug(unit)
    return [slug, f"{slug}-{unit.code}"]


def _home(unit, site):
    HomePage = apps.get_model(HOME_PAGE_MODEL)
    if site is not None:
        return site.root_page.specific, False
    root = Page.get_first_root_node()
    for slug in _slugs(unit):
        existing = Page.objects.child_of(root).filter(slug=slug).first()
        if existing is None:
            break
        if (
            isinstance(existing.specific, HomePage)
            and not Site.objects.filter(root_page=existing).exists()
        ):
            return existing.specific, False  # a home left without its site: use it again
    else:
        raise UnitSiteError(f"Đường dẫn {slug} đã là của một trang khác.")
    phrase = unit_phrase(unit)
    now = timezone.now()
    home = HomePage(
        title=f"Trang thông tin điện tử {phrase}",
        slug=slug,
        intro=f"<p>Thông tin chỉ đạo, điều hành và dịch vụ công của {phrase}.</p>",
        live=True,
        first_published_at=now,
        last_published_at=now,
    )
    root.add_child(instance=home)
    return home, True


def _settings(site, unit, created):
    from .models import PortalSettings

    portal_settings = PortalSettings.for_site(site)
    defaults = {f.name: f.get_default() for f in PortalSettings._meta.concrete_fields}
    wanted = {
        "unit": unit,
        "organisation_name": f"Ủy ban nhân dân {unit_phrase(unit)}",
        "organisation_name_en": f"People's Committee of {unit_name_en(unit)}",
        "address": unit_address(unit),
        "address_en": unit_address_en(unit),
    }
    changed = []
    for name, value in wanted.items():
        current = getattr(portal_settings, name)
        # Only what was never set (empty, or the installation's default) is filled in: an
        # administrator's own wording stays.
        if current != value and (not current or current == defaults.get(name)):
            setattr(portal_settings, name, value)
            changed.append(name)
    if changed or portal_settings.pk is None:
        portal_settings.save()
        created.append("settings")
    return portal_settings


def _group(name, model_perms, page, page_perms, collection, created):
    group, made = Group.objects.get_or_create(name=name)
    if made:
        created.append(f"group {name}")
    perms = roles.required_permissions(model_perms)
    if perms:
        group.permissions.add(*perms)  # one statement for those it lacks
    for perm in roles.required_permissions(roles.page_permission_names(page_perms)):
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=perm)
    collection_perms = roles.ROLE_COLLECTION_PERMISSIONS[roles.EDITOR]
    for perm in roles.required_permissions(roles.collection_permission_names(collection_perms)):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=perm
        )
    return group


def _collection(unit, created):
    root = Collection.get_first_root_node()
    name = unit.display_name
    collection = root.get_children().filter(name=name).first()
    if collection is None:
        collection = root.add_child(instance=Collection(name=name))
        created.append("collection")
    return collection


@transaction.atomic
def ensure_unit_site(unit, hostname: str | None = None, port: int | None = None) -> UnitSite:
    """Create or repair the site of ``unit``; see the module's docstring."""
    from .workflows import ensure_site_workflow

    created: list[str] = []
    site = site_for_unit_exact(unit)
    port = port or (site.port if site else default_port())
    if hostname is None and site is not None:
        hostname = site.hostname
    if hostname is None:
        under = parent_host()
        free = [
            f"{slug}.{under}"
            for slug in _slugs(unit)
            if not Site.objects.filter(hostname=f"{slug}.{under}", port=port).exists()
        ]
        if not free:
            raise UnitSiteError(f"Địa chỉ {default_hostname(unit)} đã là của một trang khác.")
        hostname = free[0]
    hostname = hostname.lower()
    clash = Site.objects.filter(hostname=hostname, port=port)
    if site is not None:
        clash = clash.exclude(pk=site.pk)
    if clash.exists():
        raise UnitSiteError(f"Địa chỉ {hostname}:{port} đã là của một trang khác.")

    home, made = _home(unit, site)
    if made:
        created.append("home")
    site_name = home.title
    if site is None:
        site = Site.objects.create(
            hostname=hostname, port=port, root_page=home, site_name=site_name
        )
        created.append("site")
    elif (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])
        created.append("host")
    _settings(site, unit, created)

    for build in hooks.get_hooks(BUILD_UNIT_SITE_HOOK):
        for page_created in build(home, unit) or ():
            if page_created:
                created.append("section")

    collection = _collection(unit, created)
    editors = _group(
        editors_group_name(unit),
        roles.site_group_permissions(),
        home,
        roles.ROLE_PAGE_PERMISSIONS[roles.EDITOR],
        collection,
        created,
    )
    approvers = _group(
        approvers_group_name(unit),
        roles.site_group_permissions(),
        home,
        roles.ROLE_PAGE_PERMISSIONS[roles.APPROVER],
        collection,
        created,
    )
    # The district-wide content roles keep working everywhere: their page permissions are on
    # the tree's root and their collection permissions on the root collection, which Wagtail
    # extends to every child collection.
    if ensure_site_workflow(home, approvers, unit.display_name):
        created.append("workflow")
    return UnitSite(site, home, editors, approvers, collection, created)


def units_source_loaded() -> str | None:
    """Which source the units table holds: "pre2025" (it has districts), "post2025" (units, no
    districts), or None (empty). The two sources reuse each other's commune codes for different
    communes, so the table holds one source at a time."""
    from .models import AdministrativeUnit

    if AdministrativeUnit.objects.districts().exists():
        return "pre2025"
    if AdministrativeUnit.objects.exists():
        return "post2025"
    return None
