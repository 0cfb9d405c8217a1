"""News, app guides, directives, work schedule (tin tức, hướng dẫn, văn bản, lịch công tác)."""

from .bulletins import BulletinItem, BulletinScript
from .directives import DirectiveImplementation, DirectiveIndexPage, DirectivePage, Issuer
from .guides import AppGuideIndexPage, AppGuidePage
from .news import NewsCategory, NewsIndexPage, NewsPage, NewsPageTag
from .schedule import Meeting

__all__ = [
    "AppGuideIndexPage",
    "AppGuidePage",
    "BulletinItem",
    "BulletinScript",
    "DirectiveImplementation",
    "DirectiveIndexPage",
    "DirectivePage",
    "Issuer",
    "Meeting",
    "NewsCategory",
    "NewsIndexPage",
    "NewsPage",
    "NewsPageTag",
]
