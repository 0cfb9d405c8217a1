"""The radio bulletin in a real browser: the news item's player loads the recording (Chromium
reads its duration), the podcast feed's enclosure is that same file, and the player is axe clean."""

import re

import pytest

from tests.e2e.helpers import axe_check

pytestmark = pytest.mark.e2e

BULLETIN = "/tin-tuc/ban-tin-phat-thanh-cai-dat-ung-dung/"
LOADED = """async () => {
  const audio = document.querySelector("section.audio-bulletin audio");
  audio.preload = "auto";
  if (audio.readyState < 1) {
    await new Promise((resolve, reject) => {
      audio.addEventListener("loadedmetadata", resolve, {once: true});
      audio.addEventListener("error", () => reject(new Error("cannot play")), {once: true});
      audio.load();
    });
  }
  return {duration: audio.duration, src: audio.currentSrc};
}"""


def test_the_bulletin_plays_in_the_browser_and_is_the_podcasts_enclosure(phone):
    phone.goto(BULLETIN)
    player = phone.locator("section.audio-bulletin")
    assert player.get_by_role("heading").inner_text() == "Nghe bản tin"
    loaded = phone.evaluate(LOADED)
    assert 2.5 <= loaded["duration"] <= 3.5  # the demo's three-second recording
    feed = phone.request.get("/tin-tuc/phat-thanh.xml").text()
    enclosures = re.findall(r'<enclosure [^>]*url="([^"]+)"', feed)
    assert loaded["src"] in enclosures
    axe_check(phone, include="section.audio-bulletin", what="the bulletin's player")
