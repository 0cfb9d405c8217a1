from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.core.admin_scope import ScopedViewSetMixin

from .models import BulletinScript, Issuer, Meeting


class MeetingViewSet(ScopedViewSetMixin, SnippetViewSet):
    """Each site's schedule: an editor sees and changes the meetings of the sites whose pages
    they may edit (core.scope.site_ids_for), every view of them included."""

    scope_by = "site"
    scope_field = "site"
    model = Meeting
    icon = "date"
    menu_label = gettext_lazy("Work schedule")
    menu_order = 210
    add_to_admin_menu = True
    list_display = [
        "start",
        "title",
        "chair",
        "place",
        "site",
        BooleanColumn("cancelled", label=gettext_lazy("Cancelled")),
    ]
    list_filter = ["site", "is_online", "cancelled"]
    search_fields = ["title", "chair", "place", "participants"]
    ordering = ["-start"]


class IssuerViewSet(SnippetViewSet):
    model = Issuer
    icon = "group"
    list_display = ["name", "name_en", "sort_order"]
    search_fields = ["name"]


class BulletinScriptViewSet(ScopedViewSetMixin, SnippetViewSet):
    """Each site's radio bulletin scripts, within the sites the editor may edit."""

    scope_by = "site"
    scope_field = "site"
    model = BulletinScript
    icon = "media"
    menu_label = gettext_lazy("Radio bulletin scripts")
    menu_order = 215
    add_to_admin_menu = True
    list_display = ["broadcast_on", "title", "announcer", "site"]
    list_filter = ["site"]
    search_fields = ["title", "announcer"]
    ordering = ["-broadcast_on"]


register_snippet(MeetingViewSet)
register_snippet(BulletinScriptViewSet)
register_snippet(IssuerViewSet)


@hooks.register("portal_nav_items")
def news_nav(request):
    # The sections are pages in the site's menu (portal_tags); the schedule is a view every
    # site serves.
    return [{"title": _("Work schedule"), "url": reverse("news:schedule"), "order": 30}]


@hooks.register("portal_feed_links")
def news_feeds(request):
    return [
        {"title": _("News (RSS)"), "url": "/tin-tuc/rss.xml", "type": "application/rss+xml"},
        {"title": _("News (Atom)"), "url": "/tin-tuc/atom.xml", "type": "application/atom+xml"},
        {
            "title": _("Radio bulletins (podcast)"),
            "url": "/tin-tuc/phat-thanh.xml",
            "type": "application/rss+xml",
        },
        {"title": _("Directives (RSS)"), "url": "/van-ban/rss.xml", "type": "application/rss+xml"},
        {
            "title": _("Directives (Atom)"),
            "url": "/van-ban/atom.xml",
            "type": "application/atom+xml",
        },
    ]


@hooks.register("portal_build_unit_site", order=10)
def build_unit_site_sections(home, unit):
    """A unit's site's news, directives and app guides sections (portal.core.unit_sites)."""
    from portal.core.unit_sites import ensure_child, unit_phrase

    from .models import AppGuideIndexPage, DirectiveIndexPage, NewsIndexPage

    phrase = unit_phrase(unit)
    return [
        ensure_child(home, NewsIndexPage, "tin-tuc", title="Tin tức",
                     intro=f"Tin tức, tuyên truyền và thông báo của {phrase}.")[1],
        ensure_child(home, DirectiveIndexPage, "van-ban", title="Văn bản chỉ đạo, điều hành",
                     intro=f"Văn bản chỉ đạo, điều hành của {phrase} và của cấp trên.")[1],
        ensure_child(home, AppGuideIndexPage, "huong-dan-ung-dung",
                     title="Hướng dẫn cài đặt ứng dụng")[1],
    ]  # fmt: skip


@hooks.register("register_admin_urls")
def bulletin_admin_urls():
    from django.urls import path

    from .views import bulletin_script_print

    return [path("ban-tin/<int:pk>/in/", bulletin_script_print, name="news_bulletin_print")]


@hooks.register("register_snippet_listing_buttons")
def bulletin_print_button(snippet, user, next_url=None):
    from wagtail.admin.widgets import ListingButton

    if isinstance(snippet, BulletinScript):
        yield ListingButton(
            _("Print the script"),
            reverse("news_bulletin_print", args=[snippet.pk]),
            icon_name="doc-full",
            priority=5,
        )


@hooks.register("portal_role_permissions")
def bulletin_permissions():
    """Editors (and each unit site's groups) write the bulletin scripts of their sites."""
    from portal.core import roles

    perms = [f"news.{a}_bulletinscript" for a in ("add", "change", "delete", "view")]
    return {
        roles.EDITOR: perms,
        roles.APPROVER: perms,
        roles.ADMINISTRATOR: perms,
        roles.SITE_GROUPS: perms,
    }
