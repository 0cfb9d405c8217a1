"""The radio bulletins as a podcast ("bản tin phát thanh"): the news items of a site that carry an
audio bulletin, with each file's address, size, type and duration, for podcast apps and the smart
loudspeaker systems ("truyền thanh thông minh") that pull RSS."""

import mimetypes

from django.core.cache import cache
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _

from portal.core.cache import cache_public
from portal.core.sites import absolute_url

from .feeds import NewsFeed
from .models import NewsPage

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
AUDIO_TYPES = {".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg",
               ".oga": "audio/ogg", ".opus": "audio/ogg", ".wav": "audio/wav"}  # fmt: skip


def audio_facts(document) -> dict:
    """Size in bytes, MIME type and duration in seconds of an audio document (cached by file)."""
    key = f"podcast:audio:{document.pk}:{document.file_hash or document.file.name}"
    facts = cache.get(key)
    if facts is None:
        import mutagen

        name = document.file.name.lower()
        ext = name[name.rfind(".") :] if "." in name else ""
        facts = {
            "size": document.get_file_size() or 0,
            "type": AUDIO_TYPES.get(ext) or mimetypes.guess_type(name)[0] or "audio/mpeg",
            "seconds": 0,
        }
        try:
            with document.file.open("rb") as f:
                audio = mutagen.File(f)
            if audio is not None and audio.info is not None:
                facts["seconds"] = round(audio.info.length)
        except (OSError, mutagen.MutagenError):
            pass  # an unreadable file: listed without a duration
        cache.set(key, facts, 24 * 3600)
    return facts


def duration_text(seconds: int) -> str:
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class PodcastRss(Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:itunes": ITUNES}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        handler.addQuickElement("itunes:author", self.feed["author_name"] or "")
        handler.addQuickElement("itunes:explicit", "false")
        handler.addQuickElement("itunes:type", "episodic")
        if self.feed.get("image_url"):
            handler.addQuickElement("itunes:image", "", {"href": self.feed["image_url"]})

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("duration"):
            handler.addQuickElement("itunes:duration", item["duration"])


class BulletinFeed(NewsFeed):
    """The site's radio bulletins: its news items with an audio file, newest first."""

    feed_type = PodcastRss

    def title(self):
        return _("Radio bulletins – %(site)s") % {"site": self._site_name()}

    def description(self):
        return _("The commune radio's bulletins, to listen to or to relay: %(site)s") % {
            "site": self._site_name()
        }

    def author_name(self):
        return self._site_name()

    def items(self):
        return (
            self._pages(NewsPage)
            .filter(audio__isnull=False)
            .order_by("-date", "-pk")
            .select_related("lead_image", "audio")
            .prefetch_related("tagged_items__tag")[:50]
        )

    def item_enclosures(self, item):
        facts = audio_facts(item.audio)
        url = absolute_url(self._site(), item.audio.url)
        return [Enclosure(url, str(facts["size"]), facts["type"])]

    def item_extra_kwargs(self, item):
        seconds = audio_facts(item.audio)["seconds"]
        return {"duration": duration_text(seconds) if seconds else ""}


bulletins_rss = cache_public(BulletinFeed())
