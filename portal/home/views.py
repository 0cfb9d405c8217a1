"""Site search (/tim-kiem/): pages and directives, insensitive to diacritics and case.

A query is read by ``portal.home.search.parse_query``: a document number anywhere in it puts
the directives with that number first; words naming a kind of document ("công văn", "văn
bản") keep the directives of that kind instead of being looked for in the text; the other words
are looked for, diacritics folded, in the pages of the request's site only.
"""

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

from portal.core import cache as page_cache
from portal.core.pages import public
from portal.core.ratelimit import limit
from portal.core.sites import site_for_request, site_root_in_language
from portal.core.text import fold, nfc
from portal.home.search import MAX_QUERY, has_diacritics, parse_query, query_words
from portal.news.models import AppGuidePage, DirectivePage, NewsPage
from portal.news.models.directives import DirectiveType, leading_number, reference_key

PER_PAGE = 10
SNIPPET_CHARS = 240
MAX_PINNED = 20  # directives with the number asked for, shown before the text matches

CONTENT_TYPES = {
    "tin-tuc": (_("News"), NewsPage),
    "van-ban": (_("Directives"), DirectivePage),
    "huong-dan": (_("App guides"), AppGuidePage),
}


def clean_query(raw: str) -> str:
    """Words only (letters, digits, / and -), at most MAX_TERMS of them (search.query_words)."""
    return " ".join(query_words(raw))


BLOCK_END = re.compile(r"(</(?:p|h[1-6]|li|ul|ol|div|td|th|tr|blockquote)>|<br\s*/?>)", re.I)


def _highlight_terms(words):
    """{folded word: the spellings to mark, lower case; None for every spelling}.

    A word typed with diacritics marks only that word ("bản" marks "bản", "Bản", not "bàn"); a
    word typed without marks every word that folds to it ("ban" marks "ban", "bản", "bàn"),
    because without diacritics nothing tells them apart, and the search found them all.
    """
    terms = {}
    for word in words:
        word = nfc(word)
        folded = fold(word)
        if len(folded) < 2 and not folded.isdigit():
            continue
        if not has_diacritics(word):
            terms[folded] = None
        elif terms.get(folded, set()) is not None:
            terms[folded] = {*terms.get(folded, ()), word.lower()}
    return terms


def highlight(text: str, query, limit=SNIPPET_CHARS):
    """An escaped excerpt of ``text`` around the first match, whole matching words in <mark>.

    ``query`` is the words to mark (a string or a list of words); see ``_highlight_terms``.
    """
    # A block's end is a word break ("…chỉ đạo</h2><p>UBND" is not "đạoUBND"); NFC so that a
    # position in ``folded`` is the same position in ``text``.
    text = BLOCK_END.sub(r"\1 ", str(text or ""))
    text = nfc(re.sub(r"\s+", " ", strip_tags(text)).strip())
    if not text:
        return ""
    folded = fold(text)
    words = query.split() if isinstance(query, str) else query
    terms = _highlight_terms(words)
    matches = []
    if terms:
        alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
        for match in re.finditer(rf"\b({alternatives})\b", folded):
            spellings = terms[match.group(1)]
            if spellings is None or text[match.start() : match.end()].lower() in spellings:
                matches.append(match)
    start = max(0, (matches[0].start() if matches else 0) - limit // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(text), start + limit)
    parts, cursor = [], start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        parts.append(escape(text[cursor : match.start()]))
        parts.append(f"<mark>{escape(text[match.start() : match.end()])}</mark>")
        cursor = match.end()
    parts.append(escape(text[cursor:end]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # nosec B308 B703 - every piece escaped


RERANKED = 50  # how many of the best text matches are ordered again by their titles


def title_score(title, words) -> tuple:
    """How well a title answers the query: the query's words it holds (whole words, folded),
    then those it holds with the diacritics typed ("bản" over "bàn"), then its shortness."""
    title = nfc(title)
    title_words = re.findall(r"\w+", title.lower())
    folded = {fold(w) for w in title_words}
    exact = set(title_words)
    held = sum(1 for word in words if fold(word) in folded)
    held_exactly = sum(1 for word in words if has_diacritics(word) and word.lower() in exact)
    return (held, held_exactly, -len(title_words))


class Ranked:
    """The results in order, sliced and counted like a queryset by the paginator: the directives
    with the number asked for (a list), then the text matches (a lazy search or queryset).

    The full-text rank alone puts a page that repeats a word in its body above the page whose
    title is the query (SQLite's bm25 weighs every column alike), so the best ``RERANKED`` text
    matches are ordered again by ``title_score``, keeping the full-text order among equals.
    """

    def __init__(self, pinned, rest, words=()):
        self.pinned, self.rest = list(pinned), rest
        self.words = [w for word in words for w in re.findall(r"\w+", nfc(word))]
        self._count = self._head = None

    def count(self) -> int:
        if self._count is None:
            self._count = len(self.pinned) + self.rest.count()
        return self._count

    def __len__(self):
        return self.count()

    def head(self) -> list:
        if self._head is None:
            best = list(self.rest[:RERANKED]) if self.words else []
            order = {page.pk: -i for i, page in enumerate(best)}
            best.sort(key=lambda p: (title_score(p.title, self.words), order[p.pk]), reverse=True)
            self._head = self.pinned + best
        return self._head

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        head = self.head()
        first = len(self.pinned) + (RERANKED if self.words else 0)
        if stop is not None and stop <= first:
            return head[start:stop]
        rest_stop = None if stop is None else stop - len(self.pinned)
        rest_start = max(0, start - len(self.pinned))
        if self.words:
            rest_start = max(rest_start, RERANKED)
        return head[start:stop] + list(self.rest[rest_start:rest_stop])


def number_matches(directives, parsed) -> list:
    """The directives numbered as the query asks, best first.

    For "1593/UBND-VHTT": that number and symbol, then those it begins ("1593/UBND" finds
    1593/UBND-VHTT), and only when neither exists any other 1593; "1593" alone: every 1593.
    Among equals, the type the query names ("công văn 1593") first, then the newest.
    """
    numbers = {leading_number(ref) for ref in parsed.references}
    candidates = list(
        directives.filter(number__in=numbers).only(
            "reference_key", "number", "doc_type", "issue_date"
        )[:200]
    )
    best = {}
    for ref in parsed.references:
        key, number = reference_key(ref), leading_number(ref)
        tiers = {}
        for page in candidates:
            if page.number != number:
                continue
            if key.isdigit() or page.reference_key == key:
                tiers[page.pk] = 0
            elif page.reference_key.startswith(key) and not page.reference_key[len(key)].isalnum():
                tiers[page.pk] = 1
        if not tiers:  # a symbol mistyped or unknown: the number alone still finds it
            tiers = {page.pk: 2 for page in candidates if page.number == number}
        for pk, tier in tiers.items():
            best[pk] = min(tier, best.get(pk, tier))

    def rank(page):
        other_type = bool(parsed.doc_types) and page.doc_type not in parsed.doc_types
        return (best[page.pk], other_type, -page.issue_date.toordinal(), -page.pk)

    return sorted((p for p in candidates if p.pk in best), key=rank)[:MAX_PINNED]


def text_matches(pages, parsed):
    """``pages`` matching every word of the query, best first; with no word to look for (only
    type words: "công văn"), every page, newest first."""
    if parsed.text:
        return pages.search(parsed.text, operator="and")
    if pages.model is DirectivePage:
        return pages.order_by("-issue_date", "-pk")
    return pages.none()


def find(parsed, content_type, in_site):
    """(results, the query as it was read). ``in_site(model)`` gives the model's public live
    pages of the request's site; the type words filter only where directives are looked for,
    and are read as plain words again when that finds nothing."""
    directives_too = content_type in ("", "van-ban")
    if parsed.documents and not directives_too:
        parsed = parsed.plain
    pinned = []
    if directives_too and parsed.references:
        pinned = number_matches(in_site(DirectivePage), parsed)

    def without_pinned(pages):
        return pages.exclude(pk__in=[page.pk for page in pinned]) if pinned else pages

    if directives_too and parsed.documents:
        directives = in_site(DirectivePage)
        if parsed.doc_types:
            directives = directives.filter(doc_type__in=parsed.doc_types)
        results = Ranked(pinned, text_matches(without_pinned(directives), parsed), parsed.words)
        if results.count():
            return results, parsed
        parsed = parsed.plain
    model = CONTENT_TYPES[content_type][1] if content_type else Page
    return Ranked(
        pinned, text_matches(without_pinned(in_site(model)), parsed), parsed.words
    ), parsed


def shared_procedures(site, root, request) -> dict:
    """{procedure id: its address on ``site``} for the canonical procedures the site's catalogue
    offers from the parent's tree (none on the parent site itself); kept until the next publish
    or change of an offering, as the catalogue page itself is."""
    from portal.eservices.catalogue import offered_services, site_index

    if site.is_default_site:
        return {}

    def compute():
        index = site_index(site)
        if index is None:
            return {}
        return {
            service.pk: service.offer_url
            for service in offered_services(index, request)
            if not service.path.startswith(root.path)
        }

    return page_cache.kept(request, f"search:shared:{site.pk}:{root.pk}", compute)


def specific_pages(pages) -> dict:
    """{id: the specific page} of ``pages`` (already read, with their content types): one query
    per page type among them, not Wagtail's extra query for the types."""
    by_model = {}
    for page in pages:
        by_model.setdefault(page.specific_class or Page, []).append(page.pk)
    found = {}
    for model, pks in by_model.items():
        found.update((p.pk, p) for p in model.objects.filter(pk__in=pks))
    return found


@limit("search", method=("GET",))
def search(request):
    raw_query = str(request.GET.get("q", ""))[:MAX_QUERY]
    query = clean_query(raw_query)
    content_type = request.GET.get("loai", "")
    if content_type not in CONTENT_TYPES:
        content_type = ""
    context = {
        "query": query,
        "raw_query": raw_query,
        "content_type": content_type,
        "content_types": [(key, label) for key, (label, _model) in CONTENT_TYPES.items()],
        "results": None,
    }
    if query:
        # Only the request's site's pages, in the visitor's language (the site's own language
        # when it has no home page in that one): a commune's search never answers with another
        # commune's or the district's pages.
        site = site_for_request(request)
        root = site_root_in_language(site, request=request) or (site.root_page if site else None)
        # The procedures a commune's catalogue offers live once, in the parent's tree: they are
        # found here too, at their address on this site.
        shared = {} if content_type or root is None else shared_procedures(site, root, request)

        def in_site(model):
            pages = public(model.objects.live(), request)
            if root is None:
                return pages.none()
            # The home page lists everything: not a result.
            within = Q(path__startswith=root.path, depth__gt=root.depth)
            if model is Page and shared:
                within |= Q(pk__in=list(shared))
            return pages.filter(locale=root.locale_id).filter(within)

        found, parsed = find(parse_query(raw_query), content_type, in_site)
        paginator = Paginator(found, PER_PAGE)
        try:
            results = paginator.page(request.GET.get("page", "1"))
        except (PageNotAnInteger, EmptyPage, ValueError, OverflowError) as exc:
            raise Http404("No such page") from exc
        specific = specific_pages(results.object_list)
        context["results"] = results
        context["documents_only"] = parsed.documents
        context["document_types"] = ", ".join(str(DirectiveType(t).label) for t in parsed.doc_types)
        context["items"] = [
            {
                "page": specific.get(page.pk, page),
                "url": shared.get(page.pk),
                "type": specific.get(page.pk, page).specific_class._meta.verbose_name,
                "snippet": highlight(
                    getattr(specific.get(page.pk), "search_snippet_source", "")
                    or getattr(specific.get(page.pk), "search_description", ""),
                    parsed.words,
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
