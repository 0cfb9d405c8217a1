"""Bad input never makes a server error: a crawler follows every link of sitemap.xml and the home
page, then sends every public form and page mutated bodies and query strings (oversized, wrong
encodings, NUL bytes, HTML, SQL-looking). Bounded in time; every 5xx is reported with its input."""

import re
import time
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.test import Client

BUDGET_SECONDS = 55
SKIP_PREFIXES = ("/admin", "/django-admin", "/static/", "/media/", "/documents/")
MUTATIONS = [
    "x" * 20_000,  # oversized
    "a\x00b",  # NUL byte
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "' OR '1'='1'; DROP TABLE checkpoints_checkin; --",
    "%ff%fe%00",  # percent-encoded garbage
    "Nguyễn Văn A\u202e\ufeff\u0301",  # bidi override, BOM, a lone combining accent
    "-1",
    "99999999999999999999",
    "",
]
RAW_BODIES = [
    b"\xff\xfe\xfa\xfb=\xc3\x28",  # invalid UTF-8 in names and values
    b"a=" + b"%" * 5000,
    b"&&&===&&&",
]


class Page(HTMLParser):
    """The links and forms of one HTML page."""

    def __init__(self):
        super().__init__()
        self.links, self.forms, self._form = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "fields": {},
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea", "button"):
            name = attrs.get("name")
            if name and attrs.get("type") not in ("submit", "image", "file"):
                self._form["fields"][name] = attrs.get("value") or ""
            elif name and tag == "button":
                self._form["fields"][name] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


OWN_HOSTS = {"", "testserver"}


def local_path(url: str, base: str) -> str | None:
    parts = urlsplit(urljoin(base, url))
    if parts.scheme not in ("http", "https", "") or parts.netloc not in OWN_HOSTS:
        return None
    path = parts.path or "/"
    if path.startswith(SKIP_PREFIXES) or path.endswith((".pdf", ".png", ".zip", ".xlsx")):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.slow
def test_crawler_finds_no_server_error(demo, settings):
    settings.RATELIMIT_ENABLE = False
    OWN_HOSTS.add(urlsplit(demo.root_url).netloc)  # the site's own absolute links
    client = Client(raise_request_exception=False, HTTP_HOST="testserver")
    deadline = time.monotonic() + BUDGET_SECONDS
    failures, visited, forms = [], set(), {}

    def fetch(method, path, data=None, content_type=None):
        if method == "get":
            response = client.get(path, data or {})
        elif content_type:
            response = client.generic("POST", path, data, content_type=content_type)
        else:
            response = client.post(path, data or {})
        if response.status_code >= 500:
            failures.append((method.upper(), path, repr(data)[:200], response.status_code))
        return response

    sitemap = fetch("get", "/sitemap.xml")
    assert sitemap.status_code == 200
    base = "http://testserver/"
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap.content.decode())
    queue = ["/"] + [p for p in (local_path(u, base) for u in locations) if p]
    assert len(queue) > 5, "the sitemap lists the site's pages"

    # Links: the sitemap's pages, the home page's links, and the links found on those pages.
    while queue and time.monotonic() < deadline:
        path = queue.pop(0)
        if path in visited:
            continue
        visited.add(path)
        response = fetch("get", path)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = Page()
        page.feed(response.content.decode(errors="replace"))
        for form in page.forms:
            action = local_path(form["action"] or path, base + path.lstrip("/"))
            if action:
                forms.setdefault((form["method"], action.split("?")[0]), form["fields"])
        if len(visited) < 200:
            queue.extend(
                p for p in (local_path(h, base + path.lstrip("/")) for h in page.links) if p
            )
    pages_crawled = len(visited)

    # Query strings on every page crawled.
    for path in sorted(visited):
        if time.monotonic() > deadline:
            break
        for value in MUTATIONS[:5]:
            fetch(
                "get", f"{path.split('?')[0]}?{urlencode({'q': value, 'page': value, 'p': value})}"
            )

    # Every public form, every field mutated, then raw bodies in wrong encodings.
    for (method, action), fields in sorted(forms.items()):
        for value in MUTATIONS:
            if time.monotonic() > deadline:
                break
            data = dict.fromkeys(fields, value) or {"q": value}
            data.update({k: v for k, v in fields.items() if k.endswith("current_step")})
            fetch(method, action, data)
        if method == "post":
            for body in RAW_BODIES:
                fetch("post", action, body, content_type="application/x-www-form-urlencoded")
            fetch("post", action, b"\x00" * 2048, content_type="multipart/form-data; boundary=x")

    assert not failures, f"server errors ({len(failures)}):\n" + "\n".join(map(str, failures[:30]))
    assert pages_crawled >= 10 and forms, (pages_crawled, list(forms))
