"""A citizen on a phone types the document type and number of a letter without diacritics and
finds it first, told that only that kind of document is shown, with the number marked."""

import os

import pytest

from tests.e2e.helpers import axe_check

pytestmark = pytest.mark.e2e


def test_citizen_finds_an_official_letter_by_type_and_number(phone, tmp_path):
    phone.goto("/tim-kiem/")
    phone.locator("#id_q").fill("van ban 1593")
    phone.locator("form[role=search] button[type=submit]").tap()
    results = phone.locator(".search-result__title a")
    results.first.wait_for()
    assert results.first.inner_text().strip() == "Công văn 1593/UBND-VHTT"
    assert phone.get_by_text("Chỉ hiện văn bản chỉ đạo, điều hành.").is_visible()
    assert set(phone.locator(".search-result mark").all_inner_texts()) == {"1593"}
    # Nothing wider than the phone's screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    axe_check(phone, what="search results for a document number")
    phone.screenshot(
        path=os.environ.get("SEARCH_SCREENSHOT", str(tmp_path / "search.png")), full_page=True
    )
