"""The editor's live preview panel: the preview loads in its frame under the portal's security
headers (frame-ancestors 'self' and X-Frame-Options SAMEORIGIN on the admin, 'none' elsewhere)."""

import re

import pytest

from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def news_page_id(portal, db_access):
    from portal.news.models import NewsPage

    return NewsPage.objects.live().filter(locale__language_code="vi").order_by("pk").first().pk


def test_editor_sees_the_live_preview_in_its_panel(desktop, news_page_id):
    blocked = []
    desktop.on(
        "console",
        lambda msg: (
            blocked.append(msg.text)
            if re.search(r"frame-ancestors|X-Frame-Options|Refused to (frame|display)", msg.text)
            else None
        ),
    )
    log_in(desktop, "bientap")
    desktop.goto(f"/admin/pages/{news_page_id}/edit/")
    desktop.locator("[data-side-panel-toggle=preview]").first.click()
    frame_element = desktop.locator("iframe[data-w-preview-target=iframe]").last
    frame_element.wait_for(state="attached")
    desktop.wait_for_function(
        "() => { const f = [...document.querySelectorAll('iframe[data-w-preview-target=iframe]')]"
        ".pop(); return f && f.contentDocument && f.contentDocument.querySelector('h1'); }",
        timeout=15_000,
    )
    title = desktop.locator("input[name=title]").input_value()
    frame = frame_element.content_frame
    assert frame.locator("h1").first.inner_text().strip() == title
    assert not blocked, blocked
