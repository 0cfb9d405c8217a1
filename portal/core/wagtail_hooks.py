from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

# Admin views and the page views' per-page lock (moderation) register hooks when imported; the
# page chooser's browsing reads less (page_chooser).
from . import (  # noqa: F401
    audit_admin,
    moderation,
    page_chooser,
    privacy_requests,
    reform_admin,
    two_factor,
)
from .admin_offline import hide_external_help  # noqa: F401 - no links to other hosts
from .dashboard import role_dashboard  # noqa: F401 - dashboard panels per role
from .staff_access import watch_wagtail_permission_forms

# The explorer's and choosers' permissions come from the shared cache (core.staff_access): the
# group editor's formsets, which write without signals, make it stale.
watch_wagtail_permission_forms()


@hooks.register("portal_footer_links")
def privacy_link(request):
    return [{"title": _("Personal data protection"), "url": reverse("core:privacy"), "order": 90}]


@hooks.register("register_admin_viewset")
def register_scoped_page_views():
    """The page views of every page type, with the explorer's filters scoped (page_explorer)."""
    from .page_explorer import ScopedPageViewSet

    return ScopedPageViewSet()


@hooks.register("construct_reports_menu")
def reports_within_reach(request, menu_items):
    from .page_explorer import hide_installation_reports

    hide_installation_reports(request, menu_items)


@hooks.register("construct_page_chooser_queryset")
def page_chooser_within_scope(pages, request):
    """A commune's editor chooses among their site's pages: at the tree's root the chooser lists
    their site's home, not the home of every commune of the province (core.scope)."""
    from .page_explorer import signed_in_user
    from .scope import filter_pages_for

    # Each row's status (its latest revision, a workflow in progress) read with the rows, not a
    # query or two per row.
    pages = pages.select_related("latest_revision").prefetch_workflow_states()
    return filter_pages_for(pages, signed_in_user(request)).annotate_approved_schedule()
