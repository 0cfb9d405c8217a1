"""The e2e harness itself: Chromium from the system, the live portal, axe-core, the recorder."""

import pytest

from tests.e2e.helpers import RequestRecorder, axe_check, axe_violations, tab_to

pytestmark = pytest.mark.e2e


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
