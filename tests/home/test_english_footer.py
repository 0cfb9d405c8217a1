"""The footer of the English pages is in English: no Vietnamese label falls through from the
default language where the English catalogue left a string untranslated."""

import re

from .conftest import get


def _footer(html):
    start = html.index('<footer class="site-footer"')
    return re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start : html.index("</footer>", start)])
    )


def test_the_english_footer_names_who_is_responsible_for_the_content_in_english(demo, client):
    get(client, "/")  # the Vietnamese footer rendered (and cached) first
    footer = _footer(get(client, "/en/").content.decode())
    assert "Responsible for content:" in footer
    assert "Chịu trách nhiệm nội dung" not in footer
    for label in ("Phone:", "E-mail:", "Hotlines"):
        assert label in footer


def test_the_vietnamese_footer_keeps_its_vietnamese_label(demo, client):
    get(client, "/en/")
    footer = _footer(get(client, "/").content.decode())
    assert "Chịu trách nhiệm nội dung:" in footer
