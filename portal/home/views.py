"""Site search (/tim-kiem/): pages and directives, insensitive to diacritics and case."""

import re
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from portal.core.pages import public
from portal.core.ratelimit import limit
from portal.core.sites import site_for_request, site_root_in_language
from portal.core.text import fold, nfc
from portal.news.models import AppGuidePage, DirectivePage, NewsPage

MAX_QUERY = 200  # longer queries are cut: no one types more, and FTS cost grows with terms
MAX_TERMS = 12
PER_PAGE = 10
SNIPPET_CHARS = 240

CONTENT_TYPES = {
    "tin-tuc": (_("News"), NewsPage),
    "van-ban": (_("Directives"), DirectivePage),
    "huong-dan": (_("App guides"), AppGuidePage),
}


def clean_query(raw: str) -> str:
    """Words only (letters, digits, / and -), at most MAX_TERMS of them.

    NFC first: a combining mark is not a word character, so a decomposed "tế" would be cut into
    "te" and a lone mark.
    """
    text = re.sub(r"[^\w/\-]+", " ", nfc(raw)[:MAX_QUERY], flags=re.UNICODE)
    words = [w.strip("-/") for w in text.split()]
    return " ".join([w for w in words if w][:MAX_TERMS])


def highlight(text: str, query: str, limit=SNIPPET_CHARS):
    """An escaped excerpt of ``text`` around the first match, matches in <mark>."""
    # NFC so that a position in ``folded`` is the same position in ``text``.
    text = nfc(re.sub(r"\s+", " ", strip_tags(text or "")).strip())
    folded = fold(text)
    terms = sorted({t for t in fold(query).split() if len(t) > 1 or t.isdigit()}, key=len)[::-1]
    if not text:
        return ""
    pattern = re.compile(r"\b(" + "|".join(re.escape(t) for t in terms) + r")\b") if terms else None
    first = pattern.search(folded) if pattern else None
    start = max(0, (first.start() if first else 0) - limit // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(text), start + limit)
    parts, cursor = [], start
    if pattern:
        for match in pattern.finditer(folded, start, end):
            parts.append(escape(text[cursor : match.start()]))
            parts.append(f"<mark>{escape(text[match.start() : match.end()])}</mark>")
            cursor = match.end()
    parts.append(escape(text[cursor:end]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # nosec B308 B703 - every piece escaped


def shared_procedures(site, root, request) -> dict:
    """{procedure id: its address on ``site``} for the canonical procedures the site's catalogue
    offers from the parent's tree (none on the parent site itself)."""
    from portal.eservices.catalogue import offered_services, site_index

    index = site_index(site)
    if index is None or site.is_default_site:
        return {}
    return {
        service.pk: service.offer_url
        for service in offered_services(index, request)
        if not service.path.startswith(root.path)
    }


@limit("search", method=("GET",))
def search(request):
    query = clean_query(request.GET.get("q", ""))
    content_type = request.GET.get("loai", "")
    if content_type not in CONTENT_TYPES:
        content_type = ""
    context = {
        "query": query,
        "raw_query": str(request.GET.get("q", ""))[:MAX_QUERY],
        "content_type": content_type,
        "content_types": [(key, label) for key, (label, _model) in CONTENT_TYPES.items()],
        "results": None,
    }
    if query:
        # Only the request's site's pages, in the visitor's language (the site's own language
        # when it has no home page in that one): a commune's search never answers with another
        # commune's or the district's pages.
        site = site_for_request(request)
        root = site_root_in_language(site) or (site.root_page if site else None)
        model = CONTENT_TYPES[content_type][1] if content_type else Page
        pages = public(model.objects.live(), request)
        # The procedures a commune's catalogue offers live once, in the parent's tree: they are
        # found here too, at their address on this site.
        shared = {} if content_type or root is None else shared_procedures(site, root, request)
        if root is None:
            pages = pages.none()
        else:
            # The home page lists everything: not a result.
            within = Q(path__startswith=root.path, depth__gt=root.depth)
            pages = pages.filter(locale=root.locale_id).filter(within | Q(pk__in=list(shared)))
        found = pages.search(query, operator="and")
        paginator = Paginator(found, PER_PAGE)
        try:
            results = paginator.page(request.GET.get("page", "1"))
        except (PageNotAnInteger, EmptyPage, ValueError, OverflowError) as exc:
            raise Http404("No such page") from exc
        pks = [page.pk for page in results.object_list]
        specific = {p.pk: p for p in Page.objects.filter(pk__in=pks).specific()}
        context["results"] = results
        context["items"] = [
            {
                "page": specific.get(page.pk, page),
                "url": shared.get(page.pk),
                "type": specific.get(page.pk, page).specific_class._meta.verbose_name,
                "snippet": highlight(
                    getattr(specific.get(page.pk), "search_snippet_source", "")
                    or getattr(specific.get(page.pk), "search_description", ""),
                    query,
                ),
            }
            for page in results.object_list
        ]
        params = {"q": query, **({"loai": content_type} if content_type else {})}
        context["querystring"] = urlencode(params)
    response = render(request, "home/search.html", context)
    # Results are not cached (any text makes a new address) and never indexed by robots.
    response["Cache-Control"] = "public, max-age=60"
    response["X-Robots-Tag"] = "noindex"
    return response
