"""Every public page type at phone size: Vietnamese, accessible, nothing from other hosts.

Also the harness itself (one module, one load of the demo content): system Chromium, the phone
context, axe-core catching a real violation, the request recorder, the skip link."""

import pytest

from tests.e2e.helpers import (
    RequestRecorder,
    axe_check,
    axe_violations,
    english_leftovers,
    tab_to,
)
from tests.e2e.pages import PUBLIC, resolve

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def page_types(portal, django_db_blocker):
    with django_db_blocker.unblock():
        return resolve(PUBLIC)


@pytest.mark.parametrize("name", [name for name, _ in PUBLIC])
def test_public_page_type_is_accessible_vietnamese_and_self_hosted(name, page_types, phone, portal):
    if name not in page_types.found:
        pytest.fail(f"{name}: {page_types.missing[name]}", pytrace=False)
    path = page_types.found[name]
    recorder = RequestRecorder(origin=portal.url).attach(phone)
    response = phone.goto(path)
    expected = 404 if "404" in name else 200
    assert response.status == expected, f"{path} answered {response.status}"
    phone.wait_for_load_state("load")

    expected_language = "en" if "English" in name else "vi"
    assert phone.locator("html").get_attribute("lang") == expected_language
    assert phone.title().strip(), f"{path} has no title"
    assert phone.locator("h1").count() >= 1, f"{path} has no heading of level 1"
    # Nothing sideways: the page fits a 360 px phone.
    overflow = phone.evaluate("() => document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow} px at 360 px"
    broken = phone.evaluate(
        """() => Array.from(document.images)
          .filter(img => img.loading !== 'lazy' && !(img.complete && img.naturalWidth > 0))
          .map(img => img.currentSrc || img.src)"""
    )
    assert not broken, f"{path} shows broken images: {broken}"
    axe_check(phone, what=f"{name} ({path})")
    leftovers = english_leftovers(phone) if expected_language == "vi" else []
    assert not leftovers, f"{path} shows English source strings: {leftovers}"
    assert recorder.other_hosts == [], f"{path} loads from other hosts: {recorder.other_hosts}"


# --- The harness ---------------------------------------------------------------------------


def test_browser_is_the_system_chromium_headless(browser, chromium_path):
    assert browser.browser_type.name == "chromium"
    assert browser.version.split(".")[0].isdigit()


def test_phone_context_is_360_wide_touch_and_retina(phone, portal):
    phone.goto("/")
    size = phone.evaluate(
        "() => [innerWidth, innerHeight, devicePixelRatio, 'ontouchstart' in window]"
    )
    assert size == [360, 740, 2, True]


def test_recorder_counts_bytes_requests_and_other_hosts(phone, portal):
    recorder = RequestRecorder(origin=portal.url).attach(phone)
    phone.goto("/")
    phone.wait_for_load_state("load")
    assert recorder.count >= 2  # the page and at least its stylesheet
    assert recorder.total_bytes > 1000
    assert recorder.other_hosts == []


def test_axe_reports_a_violation_on_a_broken_page(phone, portal):
    """A check that can fail: an image without alt text and an unlabelled field are caught."""
    phone.goto("/")
    phone.evaluate(
        """() => {
      const img = document.createElement('img'); img.src = '/static/img/emblem.svg';
      const input = document.createElement('input'); input.type = 'text';
      document.querySelector('main').append(img, input);
    }"""
    )
    ids = {v["id"] for v in axe_violations(phone)}
    assert {"image-alt", "label"} <= ids
    with pytest.raises(AssertionError, match="image-alt"):
        axe_check(phone)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(phone, portal):
    phone.goto("/")
    skip = phone.locator("a.skip-link")
    tab_to(phone, skip, max_presses=1)
    phone.keyboard.press("Enter")
    assert phone.evaluate("() => document.activeElement.id") == "main"
