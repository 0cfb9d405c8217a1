"""The catalogue page's grouping and search, and the links of a procedure's legal basis."""

from django.apps import apps

from portal.core.text import fold

from .models import ServicePage


def catalogue_context(index_page, request):
    services = list(
        ServicePage.objects.live().child_of(index_page).select_related("area").order_by("title")
    )
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
