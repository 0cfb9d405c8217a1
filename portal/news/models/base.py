"""What the listing pages share: strict pagination and plain-text extraction."""

import re

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.utils.html import strip_tags

PAGE_SIZE = 10


def paginate(request, queryset, per_page=PAGE_SIZE):
    """The requested page of a listing; an unknown page number is a clean 404."""
    paginator = Paginator(queryset, per_page)
    number = request.GET.get("page", "1")
    try:
        return paginator.page(number)
    except (PageNotAnInteger, EmptyPage, ValueError, OverflowError) as exc:
        raise Http404("No such page") from exc


def querystring_without_page(request):
    """The filters of the current listing, to carry them over to the pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def stream_text(raw_data, limit=None) -> str:
    """Plain text of a StreamField's raw data, without a database query (for snippets, feeds)."""
    parts = []

    def walk(value):
        if isinstance(value, str):
            if value and not re.fullmatch(r"[0-9a-f-]{8,}|h[234]|info|warning|danger", value):
                parts.append(strip_tags(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ("id", "type", "image", "document", "level", "alt_text"):
                    walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(list(raw_data or []))
    text = re.sub(r"\s+", " ", " ".join(parts)).strip()
    return text[:limit] if limit else text


def route_to_child(page, request, path_components, model):
    """Route to a child of a known type in one query (Wagtail's default takes two, plus one
    for each foreign key the template reads): listing pages have one child type."""
    child_slug, remaining = path_components[0], path_components[1:]
    queryset = model.objects.child_of(page).select_related(*model.route_select_related)
    try:
        child = queryset.get(slug=child_slug)
    except model.DoesNotExist as exc:
        raise Http404 from exc
    return child.route(request, remaining)
