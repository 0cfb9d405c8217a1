"""The catalogue: which procedures a site offers (the canonical list, by level, with the site's
own values), the catalogue page's grouping and search, and the links of a legal basis."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from portal.core.pages import public
from portal.core.sites import default_root_path, unit_for_site
from portal.core.text import fold
from portal.news.models.directives import reference_key

from .blocks import CHANNELS
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
    return _memo(request, "default_root", default_root_path)


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


# --- A procedure page: its fees as amounts, its forms, its legal basis linked ----------------
@dataclass
class Reference:
    """A document a procedure cites (căn cứ pháp lý, or the resolution setting a fee), with the
    address of its page in the directives register when the register has it."""

    number: str
    title: str = ""
    issuer: str = ""
    issued: object = None
    url: str | None = None


def directives_by_reference(numbers, request=None) -> dict:
    """{reference key: live directive page} for the numbers the register holds. One query; a
    number is compared by the register's own key (news.models.directives.reference_key: "Số
    13341/ubnd-cntt" and "NĐ"/"ND" spellings find the same document)."""
    from portal.news.models import DirectivePage

    keys = {reference_key(n) for n in numbers if n and n.strip()} - {""}
    if not keys:
        return {}
    pages = public(DirectivePage.objects.live().filter(reference_key__in=keys), request)
    found = {}
    for page in pages.order_by("depth", "-issue_date", "path"):
        found.setdefault(page.reference_key, page)
    return found


def _page_url(page, request):
    return page.get_url(request) if page is not None and page.live else None


def _numbers(page):
    numbers = [b.value.get("number") or "" for b in page.legal_basis]
    numbers += [b.value.get("resolution") or "" for b in page.fee_items]
    return numbers


def _directives(page, request=None):
    return _memo(
        request, ("directives", page.pk), lambda: directives_by_reference(_numbers(page), request)
    )


def legal_basis_links(page, request=None) -> list[Reference]:
    """The legal basis, each linked to its page in the directives register: the page the editor
    chose, else the directive with the same number and symbol; else plain text (and listed by
    ``procedure_problems`` for the editors)."""
    directives = _directives(page, request)
    items = []
    for block in page.legal_basis:
        value = block.value
        number = (value.get("number") or "").strip()
        chosen = value.get("page")
        url = _page_url(chosen.specific if chosen is not None else None, request)
        if url is None:
            url = _page_url(directives.get(reference_key(number)), request)
        items.append(
            Reference(number, value.get("title") or "", value.get("issuer") or "",
                      value.get("issued"), url)
        )  # fmt: skip
    return items


def format_dong(amount: int) -> str:
    """15000 -> "15.000 đồng" (Vietnamese digit grouping; a no-break space keeps the amount and
    its unit on one line on a phone)."""
    return f"{amount:,}".replace(",", ".") + "\u00a0đồng"


@dataclass
class Fee:
    name: str
    amount: int
    per: str
    channels: list
    payer: str
    exemptions: str
    resolution: Reference | None

    @property
    def amount_text(self) -> str:
        if not self.amount:
            return str(_("Free of charge"))
        return format_dong(self.amount) + (f"/{self.per}" if self.per else "")

    @property
    def channels_display(self) -> str:
        """The ways of filing the amount is for ("" for every way)."""
        labels = dict(CHANNELS)
        return ", ".join(str(labels[c]).lower() for c in self.channels if c in labels)

    def applies_to(self, channel) -> bool:
        return not self.channels or channel in self.channels


def fee_list(page, request=None) -> list[Fee]:
    """The procedure's fees as amounts. None where the site offering it states its own fees
    (a ProcedureOffering's text replaces the canonical page's)."""
    offering = getattr(page, "offering", None)
    if offering is not None and offering.fees:
        return []
    directives = _directives(page, request)
    fees = []
    for block in page.fee_items:
        value = block.value
        number = (value.get("resolution") or "").strip()
        resolution = None
        if number:
            directive = directives.get(reference_key(number))
            resolution = Reference(
                number, getattr(directive, "summary", ""), url=_page_url(directive, request)
            )
        fees.append(
            Fee(value["name"], value["amount"] or 0, value.get("per") or "",
                list(value.get("channels") or []), value.get("payer") or "",
                value.get("exemptions") or "", resolution)
        )  # fmt: skip
    return fees


def method_rows(page, fees) -> list[dict]:
    """Each way of filing with the fee it costs: the amounts that apply to it, else the
    method's own text."""
    rows = []
    for block in page.methods:
        value = block.value
        applying = [f for f in fees if f.applies_to(value["channel"])]
        if len(applying) == 1:
            fee = applying[0].amount_text
        elif applying:
            fee = "; ".join(f"{f.name}: {f.amount_text}" for f in applying)
        else:
            fee = value.get("fee") or ""
        rows.append({**value, "fee": fee})
    return rows


def procedure_details(page, request=None) -> dict:
    """What a procedure page shows beyond its fields: the linked legal basis, the fees as
    amounts, each method with its fee."""
    fees = fee_list(page, request)
    return {
        "legal_documents": legal_basis_links(page, request),
        "fee_list": fees,
        "method_rows": method_rows(page, fees),
    }


# A dossier document that is a form to fill in (tờ khai, đơn, giấy đề nghị, "theo mẫu"), folded.
FORM_NAME = re.compile(r"\b(mau|to khai|don de nghi|giay de nghi|phieu yeu cau)\b")
# A fee stated only as a reference ("Theo Nghị quyết HĐND tỉnh"), with no amount in it.
FEE_REFERENCE = re.compile(r"\b(nghi quyet|theo quy dinh)\b")


def procedure_problems(page) -> list[str]:
    """What the public page of ``page`` cannot show as it should, in Vietnamese for editors: a
    legal basis or fee resolution not in the directives register (shown as plain text), a fee
    given only as a reference to a resolution, a form without its file to download."""
    problems = []
    directives = directives_by_reference(_numbers(page))
    for ref in legal_basis_links(page):
        if ref.url is None:
            problems.append(
                _("Legal basis %(number)s is not in the directives register: shown without a link.")
                % {"number": ref.number or "?"}
            )
    for fee in page.fee_items:
        number = (fee.value.get("resolution") or "").strip()
        if number and reference_key(number) not in directives:
            problems.append(
                _("The resolution %(number)s setting “%(fee)s” is not in the directives register.")
                % {"number": number, "fee": fee.value["name"]}
            )
    if not page.fee_items:
        texts = [page.fees] + [b.value.get("fee") or "" for b in page.methods]
        if any(FEE_REFERENCE.search(fold(t)) and not re.search(r"\d", t) for t in texts):
            problems.append(
                _("The fees refer to a resolution without an amount: add the fee amounts.")
            )
    for case in page.components:
        for document in case.value["documents"]:
            if document["template"] is None and FORM_NAME.search(fold(document["name"])):
                problems.append(
                    _("“%(name)s” is a form but has no file to download.")
                    % {"name": document["name"]}
                )
    return [str(p) for p in problems]
