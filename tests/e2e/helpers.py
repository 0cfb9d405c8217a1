"""What the journeys share: devices, axe-core, keyboard-only navigation, a request recorder.

Also imported by ``bench/bench_page_weight.py`` (no pytest or Django needed here).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

# Chromium from Debian, headless, with nothing that phones home.
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

ANDROID_UA = (
    "Mozilla/5.0 (Linux; Android 11; SM-A125F) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36"
)
IOS_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1"
)
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "user_agent": ANDROID_UA,
}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1}


# --- Uncaught script errors --------------------------------------------------------------------


class PageErrors:
    """Collects uncaught JavaScript errors of a page; a journey fails if there is one."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def assert_none(self):
        assert not self.errors, f"uncaught script errors: {self.errors}"


# --- axe-core ----------------------------------------------------------------------------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING_IMPACTS = ("serious", "critical")


@cache
def axe_source() -> str:
    """axe-core's npm build, as shipped inside the axe-playwright-python wheel."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text("utf-8")


def axe_violations(page, include: str | None = None) -> list[dict]:
    """Run axe-core on the page (or the ``include`` selector); return every violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    result = page.evaluate(
        "([context, options]) => axe.run(context || document, options)",
        [include, options],
    )
    return result["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:240]}")
    return "\n".join(lines)


def axe_check(page, include: str | None = None, what: str = ""):
    """Assert zero serious or critical axe-core violations on the page as it is now."""
    blocking = [v for v in axe_violations(page, include) if v["impact"] in BLOCKING_IMPACTS]
    where = what or page.url
    assert not blocking, (
        f"axe-core: {len(blocking)} serious/critical violation(s) on {where}:\n"
        + format_violations(blocking)
    )


# --- Keyboard only -----------------------------------------------------------------------------

_IS_ACTIVE = "el => el === document.activeElement"
# The indicator may be drawn on the element or, for a visually hidden radio or checkbox styled
# through its label (tabs without JavaScript), on that label.
_FOCUS_INDICATOR = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {ok: false, why: 'nothing has focus'};
  const drawn = (node) => {
    const s = getComputedStyle(node);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const shadow = s.boxShadow && s.boxShadow !== 'none';
    const r = node.getBoundingClientRect();
    return (outline || shadow) && r.width > 2 && r.height > 2 && s.visibility !== 'hidden';
  };
  const s = getComputedStyle(el);
  const labels = Array.from(el.labels || []);
  return {
    ok: el.matches(':focus-visible') && (drawn(el) || labels.some(drawn)),
    why: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} focus-visible=`
      + `${el.matches(':focus-visible')} outline=${s.outlineStyle} ${s.outlineWidth} `
      + `box-shadow=${s.boxShadow} labels=${labels.length}`,
  };
}"""


def focused_description(page) -> str:
    return page.evaluate(
        """() => { const el = document.activeElement; if (!el) return 'nothing';
        return el.outerHTML.slice(0, 160); }"""
    )


def assert_focus_visible(page):
    """The focused element shows a visible focus indicator (outline or box shadow)."""
    state = page.evaluate(_FOCUS_INDICATOR)
    assert state["ok"], f"no visible focus indicator: {state['why']}"


def tab_to(page, locator, max_presses: int = 80, backwards: bool = False):
    """Press Tab (or Shift+Tab) until ``locator`` has focus; assert it shows a focus indicator."""
    key = "Shift+Tab" if backwards else "Tab"
    target = locator.first
    target.wait_for(state="attached")
    for presses in range(max_presses + 1):
        if target.evaluate(_IS_ACTIVE):
            assert_focus_visible(page)
            return target
        if presses < max_presses:
            page.keyboard.press(key)
    raise AssertionError(
        f"{locator} never received focus after {max_presses} × {key}; "
        f"focus is on {focused_description(page)}"
    )


def activate(page, locator, key: str = "Enter"):
    """Reach ``locator`` with Tab and activate it with Enter (links, buttons) or Space."""
    tab_to(page, locator)
    page.keyboard.press(key)


def type_into(page, locator, text: str):
    """Reach a text field with Tab, clear it with the keyboard and type ``text``."""
    tab_to(page, locator)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def choose_option(page, radio_or_checkbox):
    """Select a radio button or checkbox with the keyboard (Tab, then arrows within a group)."""
    target = radio_or_checkbox.first
    if target.get_attribute("type") == "radio":
        name = target.get_attribute("name")
        group = page.locator(f'input[type=radio][name="{name}"]')
        # Tab lands on the checked radio of the group (or the first); arrows move and select.
        checked = page.locator(f'input[type=radio][name="{name}"]:checked')
        tab_to(page, checked if checked.count() else group)
        for _ in range(group.count() + 1):
            if target.evaluate(_IS_ACTIVE):
                break
            page.keyboard.press("ArrowDown")
        assert target.evaluate(_IS_ACTIVE), f"arrow keys never reached {radio_or_checkbox}"
        if not target.is_checked():
            page.keyboard.press("Space")
    else:
        tab_to(page, target)
        if not target.is_checked():
            page.keyboard.press("Space")
    assert target.is_checked(), f"{radio_or_checkbox} is not selected"


def select_by_keyboard(page, select, label: str):
    """Pick ``label`` in a <select> with the keyboard: focus it, then arrows until it is chosen."""
    tab_to(page, select)
    options = select.locator("option").all_inner_texts()
    wanted = next(i for i, text in enumerate(options) if text.strip() == label)
    current = select.evaluate("el => el.selectedIndex")
    key = "ArrowDown" if wanted >= current else "ArrowUp"
    for _ in range(abs(wanted - current)):
        page.keyboard.press(key)
    assert select.evaluate("el => el.selectedIndex") == wanted, f"could not choose {label!r}"


def upload_by_keyboard(page, file_input, files):
    """Open a file input's chooser with Space (as a keyboard user does) and pick ``files``."""
    tab_to(page, file_input)
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(files)


# --- Requests ----------------------------------------------------------------------------------


@dataclass
class Recorded:
    url: str
    resource_type: str
    status: int | None = None
    bytes: int = 0
    failed: str | None = None


@dataclass
class RequestRecorder:
    """Every request a page makes: bytes transferred, count, requests to other hosts.

    Bytes are what went over the wire: response headers plus the (encoded) body, as Chromium
    counts them. ``data:`` and ``blob:`` URLs are not requests and are ignored.
    """

    origin: str
    requests: list = field(default_factory=list)

    def __post_init__(self):
        self._pending = []

    def attach(self, page):
        page.on("request", self._on_request)
        return self

    def _on_request(self, request):
        if request.url.startswith(("data:", "blob:")):
            return
        self._pending.append(request)

    def _settle(self):
        for request in self._pending:
            rec = Recorded(url=request.url, resource_type=request.resource_type)
            failure = request.failure
            if failure:
                rec.failed = failure
            else:
                response = request.response()
                if response is not None:
                    rec.status = response.status
                    sizes = request.sizes()
                    rec.bytes = max(sizes["responseBodySize"], 0) + max(
                        sizes["responseHeadersSize"], 0
                    )
            self.requests.append(rec)
        self._pending = []

    def _origin(self, url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def total_bytes(self) -> int:
        self._settle()
        return sum(r.bytes for r in self.requests)

    @property
    def count(self) -> int:
        self._settle()
        return len(self.requests)

    @property
    def other_hosts(self) -> list[str]:
        self._settle()
        return [r.url for r in self.requests if self._origin(r.url) != self.origin]

    def summary(self) -> dict:
        return {
            "bytes": self.total_bytes,
            "requests": self.count,
            "other_hosts": self.other_hosts,
            "by_type": json.dumps(
                {
                    t: sum(r.bytes for r in self.requests if r.resource_type == t)
                    for t in sorted({r.resource_type for r in self.requests})
                }
            ),
        }


# --- English left on a Vietnamese page ----------------------------------------------------------

_VISIBLE_STRINGS = """() => {
  const out = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || el.closest('script,style,template,[hidden],.wagtail-userbar')) continue;
    const text = node.textContent.trim();
    if (text) out.add(text);
  }
  const labelled = '[aria-label],[placeholder],[title],[alt],input[value]';
  for (const el of document.querySelectorAll(labelled)) {
    for (const attr of ['aria-label', 'placeholder', 'title', 'alt']) {
      const v = el.getAttribute(attr); if (v && v.trim()) out.add(v.trim());
    }
    if (['submit', 'button'].includes(el.type) && el.value) out.add(el.value.trim());
  }
  out.add(document.title.trim());
  return Array.from(out);
}"""


@cache
def english_msgids() -> frozenset[str]:
    """The English source strings of the project's catalogues (what gettext falls back to)."""
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2]
    ids = set()
    for po in [*root.glob("locale/vi/LC_MESSAGES/*.po"), *root.glob("portal/**/locale/vi/*/*.po")]:
        with po.open("rb") as f:
            for message in read_po(f):
                msgids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for msgid in msgids:
                    # Words spelt the same in both languages (Zalo, Bluezone) are not leftovers.
                    if msgid and msgid not in strings:
                        ids.add(msgid)
    return frozenset(i for i in ids if len(i) >= 4 and any(c.islower() for c in i) and "%" not in i)


def english_leftovers(page) -> list[str]:
    """Visible strings of the page that are still the English source text of a translation."""
    known = english_msgids()
    found = []
    for text in page.evaluate(_VISIBLE_STRINGS):
        clean = " ".join(text.split()).rstrip(":…→ ").strip()
        if clean in known:
            found.append(clean)
    return sorted(set(found))


DEMO_PASSWORD = "vinhloc-demo-2021"


def log_in(page, username, password=DEMO_PASSWORD):
    """Sign in to the Wagtail admin as a demo user and wait for the dashboard."""
    import re

    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))
