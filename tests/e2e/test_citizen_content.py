"""A citizen on a phone reads the alert and a news item, searches without diacritics, and reads
an app guide for their platform — by touch, then with the keyboard alone."""

import re
import unicodedata

import pytest

from tests.e2e.helpers import activate, axe_check, tab_to, type_into

pytestmark = pytest.mark.e2e

QUERY = "khai bao y te"


def _fold(text: str) -> str:
    """Lower case without diacritics (đ → d), to compare what a search should match."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(c for c in text if not unicodedata.combining(c))


def test_citizen_reads_the_alert_and_a_news_item(phone):
    phone.goto("/")
    alert = phone.locator(".site-alert")
    alert.wait_for()
    assert alert.get_attribute("role") == "region" and alert.get_attribute("aria-label")
    assert "quét mã QR" in alert.inner_text()
    axe_check(phone, what="home")

    featured = phone.locator(".featured-news__title a")
    title = featured.inner_text().strip()
    featured.tap()
    phone.wait_for_url(re.compile(r"/tin-tuc/"))
    assert phone.locator("h1").inner_text().strip() == title
    assert phone.locator("main p").count() >= 3, "the news item shows no body text"
    axe_check(phone, what="news item")

    # The alert's own link leads somewhere that explains how to scan.
    phone.go_back()
    alert.get_by_role("link").tap()
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text().strip()
    assert phone.url.endswith("/quet-ma/"), phone.url


def test_citizen_searches_without_diacritics_and_finds_the_health_declaration(phone):
    phone.goto("/")
    phone.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Tìm kiếm"
    ).tap()
    phone.locator("#id_q").fill(QUERY)
    phone.locator("form[role=search] button[type=submit]").tap()
    results = phone.locator(".search-result__title a")
    results.first.wait_for()
    titles = results.all_inner_texts()
    assert any("khai bao y te" in _fold(t) for t in titles), titles
    axe_check(phone, what="search results")

    match = next(i for i, t in enumerate(titles) if "khai bao y te" in _fold(t))
    results.nth(match).tap()
    phone.wait_for_load_state()
    assert "khai bao y te" in _fold(phone.locator("h1").inner_text())


def test_citizen_opens_an_app_guide_and_switches_to_ios(phone):
    phone.goto("/")
    tile = phone.locator(".guide-tile").first
    name = tile.inner_text().strip()
    tile.tap()
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text().strip() == name
    android = phone.locator(".tabs__panel--android")
    ios = phone.locator(".tabs__panel--ios")
    assert android.is_visible() and not ios.is_visible()
    axe_check(phone, what=f"app guide {name}")

    phone.get_by_text("iPhone (iOS)", exact=True).first.tap()
    ios.wait_for(state="visible")
    assert not android.is_visible()
    assert ios.locator(".step").count() >= 1
    phone.get_by_text("Android", exact=True).first.tap()
    android.wait_for(state="visible")


# --- The same journeys with the keyboard alone --------------------------------------------------


def test_keyboard_user_reads_the_alert_and_a_news_item(phone):
    phone.goto("/")
    featured = phone.locator(".featured-news__title a")
    title = featured.inner_text().strip()
    activate(phone, featured)
    phone.wait_for_url(re.compile(r"/tin-tuc/"))
    assert phone.locator("h1").inner_text().strip() == title
    # Back home, the alert's link is reachable and followed with Enter.
    phone.go_back()
    activate(phone, phone.locator(".site-alert a"))
    phone.wait_for_url(re.compile(r"/quet-ma/$"))


def test_keyboard_user_searches_without_diacritics(phone):
    phone.goto("/")
    activate(phone, phone.get_by_role("link", name="Tìm kiếm"))
    phone.wait_for_url(re.compile(r"/tim-kiem/"))
    type_into(phone, phone.locator("#id_q"), QUERY)
    phone.keyboard.press("Enter")
    results = phone.locator(".search-result__title a")
    results.first.wait_for()
    titles = results.all_inner_texts()
    match = next(i for i, t in enumerate(titles) if "khai bao y te" in _fold(t))
    activate(phone, results.nth(match))
    phone.wait_for_load_state()
    assert "khai bao y te" in _fold(phone.locator("h1").inner_text())


def test_keyboard_user_switches_an_app_guide_to_ios(phone):
    phone.goto("/")
    activate(phone, phone.locator(".guide-tile").first)
    phone.wait_for_load_state()
    ios = phone.locator(".tabs__panel--ios")
    # The platform choice is a radio group: Tab reaches it, an arrow key switches platform.
    tab_to(phone, phone.locator("#tab-android"))
    phone.keyboard.press("ArrowRight")
    ios.wait_for(state="visible")
    assert phone.locator("#tab-ios").is_checked()
    assert not phone.locator(".tabs__panel--android").is_visible()
