"""The radio bulletin's script (kịch bản bản tin phát thanh): news items chosen and ordered for the
announcer of the commune loudspeakers, each with the text to read and its reading time; printed for
the studio. The recording is then attached to the bulletin's news item (its audio, checked by
content: ``portal.news.audio``) and goes out in the podcast feed."""

import math
import re
from html import unescape

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, PageChooserPanel
from wagtail.models import Orderable

from portal.core.text import nfc

from .schedule import MeetingForm


def reading_seconds(text: str) -> int:
    """Seconds an announcer takes to read ``text`` at a normal pace (words a minute: setting)."""
    words = len(nfc(text).split())
    return math.ceil(words * 60 / settings.NEWS_BULLETIN_WORDS_PER_MINUTE) if words else 0


BLOCK_END = re.compile(r"(?i)</(?:p|li|h[1-6]|div|blockquote|tr)>|<br\s*/?>")


def news_text(page) -> str:
    """The text of a news item to read on air: its summary, then its body without markup, a
    paragraph a line."""
    html = BLOCK_END.sub("\n", str(page.body)) if page.body else ""
    lines = (" ".join(line.split()) for line in unescape(strip_tags(html)).splitlines())
    body = "\n".join(line for line in lines if line)
    summary = " ".join((page.summary or "").split())
    return "\n\n".join(part for part in (summary, body) if part)


class BulletinScript(ClusterableModel):
    site = models.ForeignKey(
        "wagtailcore.Site", on_delete=models.CASCADE, related_name="+", verbose_name=_("site")
    )
    title = models.CharField(_("title"), max_length=200)
    broadcast_on = models.DateField(_("broadcast on"), default=timezone.localdate)
    announcer = models.CharField(_("announcer"), max_length=120, blank=True)
    opening = models.TextField(_("opening words"), blank=True)
    closing = models.TextField(_("closing words"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    base_form_class = MeetingForm  # the site: one of the editor's, theirs by default
    panels = [
        FieldPanel("site"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("broadcast_on"), FieldPanel("announcer")]),
        FieldPanel("opening"),
        InlinePanel("items", label=_("Item"), heading=_("Items, in the order read")),
        FieldPanel("closing"),
    ]

    class Meta:
        ordering = ["-broadcast_on", "-pk"]
        verbose_name = _("bulletin script")
        verbose_name_plural = _("bulletin scripts")

    def __str__(self):
        return self.title

    def parts(self):
        """[(title, text, seconds)] in reading order: opening, items, closing."""
        out = []
        if self.opening:
            out.append((str(_("Opening")), self.opening, reading_seconds(self.opening)))
        for item in self.items.select_related("news"):
            text = item.text_to_read()
            out.append((item.news.title if item.news_id else "", text, reading_seconds(text)))
        if self.closing:
            out.append((str(_("Closing")), self.closing, reading_seconds(self.closing)))
        return out

    def total_seconds(self) -> int:
        return sum(seconds for _t, _x, seconds in self.parts())


class BulletinItem(Orderable):
    script = ParentalKey(BulletinScript, on_delete=models.CASCADE, related_name="items")
    news = models.ForeignKey(
        "news.NewsPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("news item")
    )
    text = models.TextField(
        _("text to read"),
        blank=True,
        help_text=_("Leave empty to read the item's summary and text as published."),
    )

    panels = [PageChooserPanel("news", page_type="news.NewsPage"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("bulletin item")

    def text_to_read(self) -> str:
        return self.text.strip() or (news_text(self.news) if self.news_id else "")
