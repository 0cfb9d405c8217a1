"""The catalogue: which procedures a site offers (the canonical list, by level, with the site's
own values), the catalogue page's grouping and search, and the links of a legal basis."""

from django.apps import apps
from django.conf import settings

from portal.core.sites import default_site, unit_for_site
from portal.core.text import fold

from .models import ProcedureOffering, ServiceIndexPage, ServicePage
from .models.catalogue import LEVEL_FIELDS


def _memo(request, key, compute):
    """``compute()`` once per request (routing and serving a page ask the same questions)."""
    if request is None:
        return compute()
    memo = request.__dict__.setdefault("_eservices_memo", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _default_root_path(request=None):
    def compute():
        site = default_site()
        return site.root_page.path if site is not None else None

    return _memo(request, "default_root", compute)


def is_canonical_index(page, request=None) -> bool:
    """Whether ``page`` (a catalogue page) is in the parent site's tree: its procedures are the
    canonical list."""
    root = _default_root_path(request)
    return root is not None and page.path.startswith(root)


def canonical_services(request=None):
    """The canonical procedures: those under a catalogue page of the parent site."""
    root = _default_root_path(request)
    if root is None:
        return ServicePage.objects.none()
    return ServicePage.objects.filter(path__startswith=root).order_by("title")


def site_of_index(index_page, request=None):
    """The site whose tree holds ``index_page``: the request's when it is (no query)."""
    from wagtail.models import Site

    from portal.core.sites import site_for_request

    site = site_for_request(request) if request is not None else None
    if site is not None and index_page.path.startswith(site.root_page.path):
        return site
    for site_id, root_path, _url, _lang in Site.get_site_root_paths():
        if index_page.url_path.startswith(root_path):
            return Site.objects.select_related("root_page").filter(pk=site_id).first()
    return None


def _apply(service, offering):
    """The site's own values in place of the canonical ones (in memory: never saved)."""
    service.offering = offering
    if offering is not None:
        service.agency = offering.agency or service.agency
        service.fees = offering.fees or service.fees
        service.contacts = offering.contacts
    else:
        service.contacts = ""
    return service


def offered_services(index_page, request=None):
    return _memo(
        request, ("offered", index_page.pk), lambda: _offered_services(index_page, request)
    )


def _offered_services(index_page, request=None):
    """The live procedures a catalogue page lists. The parent site's: its own pages. Another
    site's: the canonical procedures of its unit's level that it has not marked "not offered",
    each with the site's values; and any procedure page of its own (made before the catalogue
    was shared). Each carries ``offer_url`` (on the page's own site) and ``offering``."""
    own = list(
        ServicePage.objects.live().child_of(index_page).select_related("area").order_by("title")
    )
    base = index_page.get_url(request) or ""
    for service in own:
        service.offer_url = service.get_url(request)
        _apply(service, None)
    if is_canonical_index(index_page, request):
        return own
    site = site_of_index(index_page, request)
    unit = unit_for_site(site)
    field = LEVEL_FIELDS.get(getattr(unit, "level", None))
    if site is None or field is None:
        return own
    offerings = {o.procedure_id: o for o in ProcedureOffering.objects.filter(site=site)}
    slugs = {s.slug for s in own}
    shared = []
    canonical = canonical_services(request).live().filter(**{field: True})
    for service in canonical.select_related("area").order_by("title"):
        offering = offerings.get(service.pk)
        if service.slug in slugs or (offering is not None and offering.not_offered):
            continue
        service.offer_url = f"{base}{service.slug}/"
        shared.append(_apply(service, offering))
    return sorted([*own, *shared], key=lambda s: fold(s.title).lower())


def offered_service(index_page, slug, request=None):
    """The procedure ``slug`` as ``index_page``'s site offers it, else None."""
    return next((s for s in offered_services(index_page, request) if s.slug == slug), None)


def site_index(site):
    """The site's catalogue page (live), else None."""
    if site is None:
        return None
    return (
        ServiceIndexPage.objects.live()
        .filter(path__startswith=site.root_page.path)
        .order_by("depth", "path")
        .first()
    )


def service_for_site(site, slug):
    """The procedure ``slug`` as filed on ``site``: on the parent site any live procedure page
    (as before the catalogue was shared), on another site only what its catalogue offers."""
    if site is None or site.is_default_site:
        service = ServicePage.objects.live().filter(slug=slug).first()
        return _apply(service, None) if service is not None else None
    index = site_index(site)
    return offered_service(index, slug) if index is not None else None


def agency_code_for_unit(unit) -> str:
    """The agency code of a unit without its own: the portal's code and the unit's code
    ("VL15358"), unique per unit so that dossier numbers of two communes never share a counter."""
    return f"{settings.PORTAL_AGENCY_CODE}{unit.code}"


def receiving(site, service):
    """(receiving unit or None, agency code) of a dossier filed for ``service`` on ``site``: the
    parent site keeps the procedure's code (and the applicant's commune); another site's unit
    receives it, under its offering's code or the unit's own."""
    if site is None or site.is_default_site:
        return None, service.dossier_agency_code
    unit = unit_for_site(site)
    if unit is None:
        return None, service.dossier_agency_code
    offering = getattr(service, "offering", None)
    return unit, (offering.agency_code if offering and offering.agency_code else "") or (
        agency_code_for_unit(unit)
    )


def catalogue_context(index_page, request):
    services = offered_services(index_page, request)
    query = (request.GET.get("q") or "").strip()[:100]
    level = request.GET.get("muc-do") or ""
    if query:
        words = fold(query).split()
        services = [
            s
            for s in services
            if all(
                w in fold(f"{s.title} {s.procedure_code} {s.summary} {s.area or ''}") for w in words
            )
        ]
    if level in ServicePage.Level.values:
        services = [s for s in services if s.level == level]
    groups = {}
    for service in services:
        groups.setdefault(service.area, []).append(service)
    ordered = sorted(
        groups.items(),
        key=lambda kv: (kv[0] is None, getattr(kv[0], "sort_order", 0), str(kv[0] or "")),
    )
    return {
        "groups": ordered,
        "query": query,
        "level": level,
        "levels": ServicePage.Level.choices,
        "result_count": len(services),
    }


def _directive_by_number(number):
    """A page of the directives register (portal.news) with this number, if the app has one."""
    if not apps.is_installed("portal.news"):
        return None
    for model in apps.get_app_config("news").get_models():
        names = {f.name for f in model._meta.get_fields()}
        for field in ("number", "document_number", "number_symbol", "symbol"):
            if field in names and hasattr(model, "get_url"):
                try:
                    return model.objects.live().filter(**{f"{field}__iexact": number}).first()
                except Exception:  # noqa: BLE001 (not a page model, or not comparable)
                    break
    return None


def legal_basis_links(page):
    """[(block value, url or None)] for the legal basis, linked to the directives register."""
    items = []
    for block in page.legal_basis:
        value = block.value
        target = value.get("page")
        if target is None and value.get("number"):
            target = _directive_by_number(value["number"].strip())
        url = target.specific.url if target is not None and target.live else None
        items.append((value, url))
    return items
