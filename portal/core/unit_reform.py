"""Reforms of administrative units (sắp xếp đơn vị hành chính): merging units' sites into one,
renaming a unit (and moving its site to a new host), retiring a unit's site. One service used by
``manage.py merge_unit_sites``, ``rename_unit``, ``retire_unit_site`` and the admin's
"Sắp xếp đơn vị hành chính" view (``portal.core.reform_admin``).

A host name that no longer serves a site of its own is kept as a ``RetiredHost``: the
``RetiredHostMiddleware`` answers every request to it with a 301 to the page that now answers the
old path (``paths``), else the same path on the target (a rename), else the target's home. The
middleware reads the hosts from a per-process memo refreshed from the cache at most every
``MEMO_SECONDS``: no query and no cache round trip per request on the hot path (check-ins).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from wagtail import hooks
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
)

from . import audit
from .cache import process_copy
from .models import AdministrativeUnit, PortalSettings, RetiredHost, StaffScope
from .sites import absolute_url, default_site, forget_site_tree, parent_site
from .unit_sites import (
    _slugs,
    approvers_group_name,
    editors_group_name,
    site_for_unit_exact,
    unit_phrase,
)

# Apps move what an absorbed commune runs to the merged commune: ``move(from_unit, into_unit)``
# in the app's wagtail_hooks.py, returning lines for the report.
MERGE_UNITS_HOOK = "portal_merge_units"

CACHE_KEY = "portal:retired-hosts"
MEMO_SECONDS = 30
_memo: dict = {"at": 0.0, "hosts": None}


class ReformError(Exception):
    """A reform cannot be done as asked; the message is for the user, in Vietnamese."""


@dataclass
class ReformResult:
    lines: list[str] = field(default_factory=list)
    changed: bool = False

    def say(self, line):
        self.lines.append(line)


# --- the hosts that no longer serve a site ---------------------------------------------------


def retired_hosts() -> dict[str, tuple]:
    """{host name: (target site id, reason, paths)}."""
    now = time.monotonic()
    hosts = _memo["hosts"]
    if hosts is not None and now - _memo["at"] < MEMO_SECONDS:
        return hosts
    hosts = cache.get(CACHE_KEY)
    if hosts is None:
        hosts = {
            r.hostname: (r.target_site_id, r.reason, r.paths)
            for r in RetiredHost.objects.only("hostname", "target_site_id", "reason", "paths")
        }
        cache.set(CACHE_KEY, hosts, 3600)
    _memo.update(at=now, hosts=hosts)
    return hosts


@process_copy
def _forget_memo():
    _memo.update(at=0.0, hosts=None)


def forget_retired_hosts():
    cache.delete(CACHE_KEY)
    _forget_memo()
    forget_site_tree()


def _relative(page, home) -> str:
    """The path of ``page`` on the site whose home is ``home`` ("/tin-tuc/bai-viet/")."""
    return page.url_path[len(home.url_path) - 1 :]


def redirect_url(hostname: str, path: str) -> str | None:
    """Where a request for ``path`` on the former host ``hostname`` goes now, else None."""
    entry = retired_hosts().get(hostname.lower())
    if entry is None:
        return None
    target_id, reason, paths = entry
    target = Site.objects.select_related("root_page").filter(pk=target_id).first()
    if target is None:
        return None
    key = path if path.endswith("/") else path + "/"
    page_id = paths.get(key)
    if page_id is not None:
        page = Page.objects.filter(pk=page_id).first()
        if page is not None and page.url_path.startswith(target.root_page.url_path):
            return absolute_url(target, _relative(page, target.root_page))
    if reason == RetiredHost.Reason.RENAMED or _is_app_path(path):
        # A renamed host keeps every path; so does an address every site serves (a check-in
        # poster's QR, the health declaration, the dossier lookup): it works on the new host.
        return absolute_url(target, path)
    return absolute_url(target, "/")


def _is_app_path(path: str) -> bool:
    """Whether ``path`` is served by an app's view (the same on every site), not a page."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name != "wagtail_serve"


class RetiredHostMiddleware:
    """A 301 from a former host name (merged, renamed, retired unit) to its new address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        hosts = retired_hosts()
        if hosts:
            host = request.get_host().rsplit(":", 1)[0].lower()
            if host in hosts:
                url = redirect_url(host, request.path)
                if url is not None:
                    query = request.META.get("QUERY_STRING", "")
                    if query and "?" not in url:
                        url = f"{url}?{query}"
                    return HttpResponsePermanentRedirect(url)
        return self.get_response(request)


# --- looking up what the user named ----------------------------------------------------------


def unit_by_code(code) -> AdministrativeUnit:
    unit = AdministrativeUnit.objects.filter(code=str(code).strip()).first()
    if unit is None:
        raise ReformError(f"Không có đơn vị hành chính mã {code}.")
    return unit


def site_of(unit) -> Site:
    site = site_for_unit_exact(unit)
    if site is None:
        raise ReformError(f"{unit.display_name} (mã {unit.code}) chưa có trang thông tin riêng.")
    return Site.objects.select_related("root_page").get(pk=site.pk)


def _group(name):
    return Group.objects.filter(name=name).first()


def _strip_group(group):
    """The group keeps its name (for the record) and loses every permission and member."""
    if group is None:
        return 0
    members = list(group.user_set.all())
    GroupPagePermission.objects.filter(group=group).delete()
    GroupCollectionPermission.objects.filter(group=group).delete()
    group.permissions.clear()
    group.user_set.clear()
    return len(members)


def _free_slug(parent, page, unit) -> str | None:
    """A slug for ``page`` under ``parent``: its own, else one naming its former unit."""
    taken = set(Page.objects.child_of(parent).exclude(pk=page.pk).values_list("slug", flat=True))
    for slug in (page.slug, f"{page.slug}-{_slugs(unit)[0]}", f"{page.slug}-{unit.code}"):
        if slug not in taken:
            return slug
    return None


def _move(page, parent, unit):
    slug = _free_slug(parent, page, unit)
    if slug is None:
        raise ReformError(f"Không chuyển được trang {page.title}: trùng đường dẫn.")
    if slug != page.slug:
        page.slug = slug
        page.save(update_fields=["slug"], clean=False)
    page.move(parent, pos="last-child")


def _unpublish_site_pages(home):
    """The site's pages stay for the record, unpublished."""
    live = Page.objects.descendant_of(home, inclusive=True).live()
    count = live.count()
    for page in live.specific().iterator():
        page.unpublish(log_action=False)
    return count


# --- merge -----------------------------------------------------------------------------------


def merge_units(from_codes, into_code, dry_run=False, request=None) -> ReformResult:
    """Move the content of the sites of ``from_codes`` under the site of ``into_code``: each
    section's pages go under the merged site's section of the same type (a section it lacks
    moves whole); the absorbed sites' hosts and paths answer a 301 to the pages' new addresses;
    their editors and approvers join the merged site's groups; staff who worked for an absorbed
    commune work for the merged one; images and documents join the merged site's collection;
    the absorbed sites stop serving and their homes are unpublished."""
    into = unit_by_code(into_code)
    target = site_of(into)
    codes = [str(c).strip() for c in from_codes]
    if not codes:
        raise ReformError("Cho biết mã ít nhất một đơn vị được sáp nhập.")
    if into.code in codes:
        raise ReformError(f"Không thể sáp nhập {into.display_name} vào chính nó.")
    absorbed, result = [], ReformResult()
    for code in dict.fromkeys(codes):
        unit = unit_by_code(code)
        done = RetiredHost.objects.filter(
            unit_code=unit.code, reason=RetiredHost.Reason.MERGED, target_site=target
        ).exists()
        if done and site_for_unit_exact(unit) is None:
            result.say(f"{unit.display_name} đã được sáp nhập vào {into.display_name} trước đây.")
            continue
        absorbed.append((unit, site_of(unit)))
    if not absorbed:
        return result
    target_home = target.root_page.specific
    with transaction.atomic():
        for unit, site in absorbed:
            _merge_one(unit, site, into, target, target_home, result, dry_run)
        if dry_run:
            result.say("Chạy thử: không thay đổi gì.")
            transaction.set_rollback(True)
            return result
        audit.record(
            request,
            "unit_reform.merge",
            subject=f"{', '.join(u.code for u, _ in absorbed)} → {into.code}",
            parameters={"from": [u.code for u, _ in absorbed], "into": into.code},
            count=len(absorbed),
        )
    forget_retired_hosts()
    result.changed = True
    return result


def _merge_one(unit, site, into, target, target_home, result, dry_run):
    home = site.root_page.specific
    paths = {"/": target_home.pk}
    # Every old path, before anything moves.
    for page in Page.objects.descendant_of(home):
        paths[_relative(page, home)] = page.pk
    sections = {}
    for child in target_home.get_children().specific():
        sections.setdefault(type(child), child)
    moved = 0
    for section in list(home.get_children().specific()):
        match = sections.get(type(section))
        if match is not None:
            paths[_relative(section, home)] = match.pk
            for page in list(section.get_children()):
                _move(page, match, unit)
                moved += 1
        else:
            _move(section, target_home, unit)
            moved += 1
    result.say(
        f"{unit.display_name} ({site.hostname}) → {into.display_name} ({target.hostname}): "
        f"chuyển {moved} trang."
    )

    editors, approvers = _group(editors_group_name(into)), _group(approvers_group_name(into))
    for old_name, new_group in (
        (editors_group_name(unit), editors),
        (approvers_group_name(unit), approvers),
    ):
        old = _group(old_name)
        if old is not None and new_group is not None:
            users = list(old.user_set.all())
            new_group.user_set.add(*users)
            result.say(f"Nhóm {old_name}: {len(users)} người chuyển sang nhóm {new_group.name}.")
        _strip_group(old)

    if into.level == AdministrativeUnit.Level.COMMUNE:
        scopes = StaffScope.objects.filter(communes=unit)
        for scope in scopes:
            scope.communes.add(into)
        result.say(f"Phạm vi xã: {scopes.count()} cán bộ được giao thêm {into.display_name}.")
        # Each app moves what the absorbed commune runs to the merged one (checkpoints...);
        # records of what happened (check-ins, dossiers) keep the unit they were made in.
        for move in hooks.get_hooks(MERGE_UNITS_HOOK):
            for line in move(unit, into) or ():
                result.say(line)

    old_collection = Collection.objects.filter(name=unit.display_name).first()
    new_collection = Collection.objects.filter(name=into.display_name).first()
    if old_collection is not None and new_collection is not None:
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model

        for model in (get_image_model(), get_document_model()):
            model.objects.filter(collection=old_collection).update(collection=new_collection)

    if dry_run:
        return
    hostname = site.hostname.lower()
    unpublished = _close_site(site, target, unit, RetiredHost.Reason.MERGED, paths)
    result.say(f"Trang {hostname} ngừng phục vụ; {unpublished} trang cũ được lưu trữ.")


def _close_site(site, target, unit, reason, paths) -> int:
    """Stop serving ``site``: unpublish its pages (kept for the record), send its host (and the
    hosts that led to it) to ``target``; returns how many pages were unpublished."""
    hostname = site.hostname.lower()
    unpublished = _unpublish_site_pages(site.root_page.specific)
    RetiredHost.objects.filter(target_site=site).update(target_site=target)
    PortalSettings.objects.filter(site=site).delete()
    site.delete()
    RetiredHost.objects.update_or_create(
        hostname=hostname,
        defaults={
            "target_site": target,
            "reason": reason,
            "unit_code": unit.code,
            "unit_name": unit.display_name,
            "paths": paths,
        },
    )
    return unpublished


# --- rename ----------------------------------------------------------------------------------


def rename_unit(code, name, host=None, request=None) -> ReformResult:
    """Rename ``code`` to ``name`` (with its type, "Xã Mới"): the unit, its site's name, its
    settings' organisation name and address, its groups and its collection follow. With
    ``host``, the site moves to it and the old host answers a 301 path for path."""
    unit = unit_by_code(code)
    name = " ".join((name or "").split())
    if not name:
        raise ReformError("Cho biết tên mới của đơn vị (kèm loại đơn vị, ví dụ “Xã Mới”).")
    site = site_of(unit)
    host = (host or "").strip().lower() or None
    if host and Site.objects.filter(hostname=host).exclude(pk=site.pk).exists():
        raise ReformError(f"Địa chỉ {host} đã là của một trang khác.")
    result = ReformResult()
    old_display = unit.display_name
    with transaction.atomic():
        if name != old_display:
            old_editors, old_approvers = editors_group_name(unit), approvers_group_name(unit)
            old_phrase = unit_phrase(unit)
            prefix = old_display[: -len(unit.name)] if old_display.endswith(unit.name) else ""
            unit.name = name[len(prefix) :] if prefix and name.startswith(prefix) else name
            unit.name_with_type = name
            unit.save(update_fields=["name", "name_with_type"])
            new_phrase = unit_phrase(unit)
            Group.objects.filter(name=old_editors).update(name=editors_group_name(unit))
            Group.objects.filter(name=old_approvers).update(name=approvers_group_name(unit))
            Collection.objects.filter(name=old_display).update(name=name)
            settings_ = PortalSettings.objects.filter(site=site).first()
            if settings_ is not None:
                for attr in ("organisation_name", "address"):
                    value = getattr(settings_, attr)
                    value = value.replace(old_phrase, new_phrase).replace(old_display, name)
                    setattr(settings_, attr, value)
                settings_.save()
            site.site_name = (site.site_name or "").replace(old_phrase, new_phrase)
            site.site_name = site.site_name.replace(old_display, name) or name
            site.save(update_fields=["site_name"])
            home = site.root_page.specific
            if old_phrase in home.title or old_display in home.title:
                home.title = home.title.replace(old_phrase, new_phrase).replace(old_display, name)
                home.save_revision().publish(log_action=False)
            result.say(f"Đã đổi tên {old_display} thành {name}.")
            result.changed = True
        if host and host != site.hostname:
            old_host = site.hostname.lower()
            site.hostname = host
            site.save(update_fields=["hostname"])
            RetiredHost.objects.filter(hostname=host).delete()
            RetiredHost.objects.update_or_create(
                hostname=old_host,
                defaults={
                    "target_site": site,
                    "reason": RetiredHost.Reason.RENAMED,
                    "unit_code": unit.code,
                    "unit_name": old_display,
                    "paths": {},
                },
            )
            result.say(f"Trang chuyển từ {old_host} sang {host}; địa chỉ cũ chuyển hướng (301).")
            result.changed = True
        if not result.changed:
            result.say(f"{old_display} đã mang tên này; không thay đổi gì.")
            return result
        audit.record(
            request,
            "unit_reform.rename",
            subject=f"{unit.code}: {old_display} → {unit.display_name}",
            parameters={"code": unit.code, "old": old_display, "new": name, "host": host or ""},
        )
    forget_retired_hosts()
    return result


# --- retire ----------------------------------------------------------------------------------


def retire_unit(code, redirect_to=None, request=None) -> ReformResult:
    """Stop serving the site of ``code``: its host answers a 301 to the parent site (or the site
    of ``redirect_to``), its pages are unpublished (kept), its groups lose their permissions and
    members. Running it again on a retired unit says so and changes nothing."""
    unit = unit_by_code(code)
    site = site_for_unit_exact(unit)
    if site is None:
        gone = RetiredHost.objects.filter(unit_code=unit.code, reason="retired").first()
        if gone is not None:
            return ReformResult([f"Trang của {unit.display_name} đã ngừng hoạt động trước đây."])
        raise ReformError(f"{unit.display_name} (mã {unit.code}) chưa có trang thông tin riêng.")
    site = Site.objects.select_related("root_page").get(pk=site.pk)
    if redirect_to:
        target_unit = unit_by_code(redirect_to)
        if target_unit.pk == unit.pk:
            raise ReformError("Không thể chuyển hướng trang về chính nó.")
        target = site_of(target_unit)
    else:
        target = parent_site(site) or default_site()
    if target is None or target.pk == site.pk:
        raise ReformError(f"{unit.display_name} không có trang cấp trên để chuyển hướng.")
    if site.is_default_site:
        raise ReformError("Không thể cho ngừng trang chính của cổng thông tin.")
    result = ReformResult()
    with transaction.atomic():
        hostname = site.hostname.lower()
        members = _strip_group(_group(editors_group_name(unit)))
        members += _strip_group(_group(approvers_group_name(unit)))
        unpublished = _close_site(site, target, unit, RetiredHost.Reason.RETIRED, {})
        result.say(
            f"Trang {hostname} của {unit.display_name} ngừng hoạt động, chuyển hướng về "
            f"{target.hostname}; {unpublished} trang được lưu trữ; {members} biên tập viên "
            "mất quyền."
        )
        result.changed = True
        audit.record(
            request,
            "unit_reform.retire",
            subject=f"{unit.code}: {unit.display_name} → {target.hostname}",
            parameters={"code": unit.code, "host": hostname, "target": target.hostname},
        )
    forget_retired_hosts()
    return result
