"""The page explorer and the page reports as a commune's editor sees them: filters that name their
own site and the staff who work on its pages, not every commune's site and every staff member of
the province.

Wagtail's explorer offers "Owner", "Edited by" and "Site" filters whose choices are every user who
ever owned or edited a page and every site of the installation. On a province's platform that put
the names of 166 communes' staff in front of each commune editor. The choices here are drawn from
the pages the user may reach (``core.scope``: one rule for "a staff member's scope"); the district's
editors and superusers, who reach every page, still see every choice.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.forms import CheckboxSelectMultiple
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import MultipleUserFilter
from wagtail.admin.views.pages.listing import (
    EditedByFilter,
    GenericPageFilterSet,
    PageFilterSet,
    SiteFilter,
)
from wagtail.admin.views.reports.audit_logging import (
    SiteHistoryReportFilterSet,
    get_users_for_filter,
)
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.models import Page, PageLogEntry, Site

from .moderation import ModeratedPageViewSet
from .scope import page_paths_for, site_ids_for


def _reachable_pages(request):
    pages = Page.objects.order_by()
    paths = page_paths_for(request.user)
    if paths is None:
        return pages
    within = Q(pk__in=[])
    for path in paths:
        within |= Q(path__startswith=path)
    return pages.filter(within)


def _owners(request):
    owners = _reachable_pages(request).values_list("owner_id", flat=True).distinct()
    return get_user_model().objects.filter(pk__in=owners)


def _editors(request):
    edits = PageLogEntry.objects.filter(action="wagtail.edit", page__in=_reachable_pages(request))
    return get_user_model().objects.filter(
        pk__in=edits.order_by().values_list("user_id", flat=True).distinct()
    )


def _sites(request):
    ids = site_ids_for(request.user)
    return Site.objects.all() if ids is None else Site.objects.filter(pk__in=ids)


class ScopedPageFilterSet(PageFilterSet):
    owner = MultipleUserFilter(label=_("Owner"), queryset=_owners, widget=CheckboxSelectMultiple)
    edited_by = EditedByFilter(
        label=_("Edited by"), queryset=_editors, widget=CheckboxSelectMultiple
    )
    site = SiteFilter(label=_("Site"), queryset=_sites, widget=CheckboxSelectMultiple)


class ScopedGenericPageFilterSet(ScopedPageFilterSet, GenericPageFilterSet):
    """With the page type filter of Wagtail's listing of every page type."""


class ScopedPageViewSet(ModeratedPageViewSet):
    """Wagtail's page views for every page type: the editor and workflow actions locked per page
    (core.moderation), the explorer's filters scoped. The one page viewset of the portal."""

    model = Page
    name = "portal_pages"
    parent_models = [Page]
    filterset_class = ScopedGenericPageFilterSet


# --- Reports over the whole installation ---------------------------------------------------------
#
# "Site history" filters its entries by what the user may see, but its "User" filter lists every
# user of every entry: Wagtail's filter set still has a method choosing the users of the visible
# entries (``get_users_for_filter``) that its base class no longer calls. It is called here.
# "Page types usage" counts every page of the installation and names the last one edited of each
# type, draft titles included: a report for those who reach the whole tree.


def _users_of_visible_entries(filterset):
    return get_users_for_filter(filterset.request.user)


SiteHistoryReportFilterSet.get_users_queryset = _users_of_visible_entries


def reaches_whole_tree(user) -> bool:
    return page_paths_for(user) is None


def hide_installation_reports(request, menu_items):
    if not reaches_whole_tree(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


_page_types_dispatch = PageTypesUsageReportView.dispatch


def _page_types_for_the_whole_tree(view, request, *args, **kwargs):
    if not reaches_whole_tree(request.user):
        raise Http404
    return _page_types_dispatch(view, request, *args, **kwargs)


PageTypesUsageReportView.dispatch = _page_types_for_the_whole_tree
