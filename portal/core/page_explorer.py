"""The page explorer and the page reports as a commune's editor sees them: filters that name their
own site and the staff who work on its pages, not every commune's site and every staff member of
the province.

Wagtail's explorer offers "Owner", "Edited by" and "Site" filters whose choices are every user who
ever owned or edited a page and every site of the installation. On a province's platform that put
the names of 166 communes' staff in front of each commune editor. The choices here are drawn from
the pages the user may reach (``core.scope``: one rule for "a staff member's scope"); the district's
editors and superusers, who reach every page, still see every choice.
"""

import posixpath

import django_filters
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Q, When
from django.forms import CheckboxSelectMultiple, ModelChoiceField, RadioSelect
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import (
    ContentTypeModelMultipleChoiceField,
    LocaleFilter,
    MultipleContentTypeFilter,
    MultipleUserFilter,
    UserModelMultipleChoiceField,
)
from wagtail.admin.views.pages.listing import (
    EditedByFilter,
    ExplorableIndexView,
    GenericPageFilterSet,
    PageFilterSet,
    SiteFilter,
)
from wagtail.admin.views.reports.audit_logging import (
    SiteHistoryReportFilterSet,
    get_users_for_filter,
)
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.coreutils import get_content_languages
from wagtail.models import Page, PageLogEntry, Site, get_page_models

from . import admin_reads
from .moderation import ModeratedPageViewSet
from .pages import restricted_paths
from .scope import SITE_PAGE_PERMISSIONS, page_paths_for
from .shared_lists import sites_with_root_paths


def signed_in_user(request):
    """The signed-in user itself, not the request's lazy stand-in: what ``core.scope`` keeps for the
    request (and ``core.staff_access`` gave it) is kept on the user."""
    user = request.user
    while isinstance(user, LazyObject):  # the session's, and the second factor's around it
        user.pk  # noqa: B018 - resolves the lazy object
        user = user._wrapped
    return user


def _reachable_pages(request):
    pages = Page.objects.order_by()
    paths = page_paths_for(signed_in_user(request))
    if paths is None:
        return pages
    within = Q(pk__in=[])
    for path in paths:
        within |= Q(path__startswith=path)
    return pages.filter(within)


# --- The filters' choices, read in as few queries as Wagtail's forms allow ------------------------
#
# A filter's choices are a queryset that its form field reads when the drawer is drawn: one query
# per filter. Here the owners and the editors are read together, the sites with their tree paths
# (which decide whose they are), the page types from Django's memory of content types; each
# field is handed the rows with its queryset (``ListedChoices``), which still validates a choice
# sent back as Wagtail's does.


class _Rows(list):
    """Rows already read, as ``ModelChoiceIterator`` reads a queryset."""

    _prefetch_related_lookups = ("listed",)  # iterate these rows, not ``queryset.iterator()``

    def count(self):
        return len(self)

    def exists(self):
        return bool(self)


class ListedChoiceIterator(django_filters.fields.ModelChoiceIterator):
    def __init__(self, field):
        super().__init__(field)
        rows = getattr(field, "_portal_rows", None)
        if rows is not None:
            self.queryset = _Rows(rows)


def _listed(queryset, rows):
    queryset.portal_rows = list(rows)
    return queryset


class ListedChoices:
    """A model choice field drawing its choices from rows handed with its queryset."""

    iterator = ListedChoiceIterator

    def _set_queryset(self, queryset):
        self._portal_rows = getattr(queryset, "portal_rows", None)
        ModelChoiceField._set_queryset(self, queryset)

    queryset = property(ModelChoiceField._get_queryset, _set_queryset)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._portal_rows = self._portal_rows
        result.widget.choices = result.choices
        return result


class _UserField(ListedChoices, UserModelMultipleChoiceField):
    pass


class _SiteField(ListedChoices, django_filters.fields.ModelMultipleChoiceField):
    pass


class _ContentTypeField(ListedChoices, ContentTypeModelMultipleChoiceField):
    pass


class _UserFilter(MultipleUserFilter):
    field_class = _UserField


class _EditedByFilter(EditedByFilter):
    field_class = _UserField


class _SiteFilter(SiteFilter):
    field_class = _SiteField


class _ContentTypeFilter(MultipleContentTypeFilter):
    field_class = _ContentTypeField


def _staff_of_reachable_pages(request):
    """(owners, editors) of the pages the user reaches, read in one query once per request."""
    found = getattr(request, "_portal_page_staff", None)
    if found is None:
        pages = _reachable_pages(request)
        owned = pages.values_list("owner_id", flat=True).distinct()
        edited = (
            PageLogEntry.objects.filter(action="wagtail.edit", page__in=pages)
            .order_by()
            .values_list("user_id", flat=True)
            .distinct()
        )
        users = get_user_model().objects.filter(Q(pk__in=owned) | Q(pk__in=edited))
        rows = users.annotate(
            portal_owner=Case(When(pk__in=owned, then=True), default=False),
            portal_editor=Case(When(pk__in=edited, then=True), default=False),
        )
        rows = list(rows)
        found = request._portal_page_staff = (owned, edited, rows)
    return found


def _owners(request):
    owned, _edited, rows = _staff_of_reachable_pages(request)
    return _listed(
        get_user_model().objects.filter(pk__in=owned), [u for u in rows if u.portal_owner]
    )


def _editors(request):
    _owned, edited, rows = _staff_of_reachable_pages(request)
    return _listed(
        get_user_model().objects.filter(pk__in=edited), [u for u in rows if u.portal_editor]
    )


def _sites(request):
    """The sites whose content the user edits (``core.scope.site_ids_for``'s rule), decided from
    the sites and their home pages' paths kept in the shared cache (``core.shared_lists``)."""
    user = signed_in_user(request)
    paths = page_paths_for(user, SITE_PAGE_PERMISSIONS)
    rows = sites_with_root_paths()
    if paths is None:
        return _listed(Site.objects.all(), rows)
    mine = [site for site in rows if any(site.portal_root_path.startswith(p) for p in paths)]
    # ``site_ids_for``'s answer for the rest of the request (the reports menu asks it).
    user.__dict__.setdefault("_portal_site_ids_cache", frozenset(site.pk for site in mine))
    return _listed(Site.objects.filter(pk__in=[site.pk for site in mine]), mine)


def _page_types(request):
    """Wagtail's ``get_page_content_types(include_base_page_type=False)``, from memory."""
    models = [model for model in get_page_models() if model is not Page]
    types = sorted(ContentType.objects.get_for_models(*models).values(), key=lambda t: t.model)
    return _listed(
        ContentType.objects.filter(pk__in=[t.pk for t in types]).order_by("model"), types
    )


class ScopedPageFilterSet(PageFilterSet):
    owner = _UserFilter(label=_("Owner"), queryset=_owners, widget=CheckboxSelectMultiple)
    edited_by = _EditedByFilter(
        label=_("Edited by"), queryset=_editors, widget=CheckboxSelectMultiple
    )
    site = _SiteFilter(label=_("Site"), queryset=_sites, widget=CheckboxSelectMultiple)

    def _add_locale_filter(self):
        """Wagtail's locale filter, from the locales the request has already read."""
        if "locale" in self.filters or self.request is None:
            return super()._add_locale_filter()
        codes = {locale.language_code for locale in admin_reads.locales(self.request)}
        choices = [(k, v) for k, v in get_content_languages().items() if k in codes]
        if len(choices) <= 1:
            return
        self.filters["locale"] = LocaleFilter(
            label=_("Locale"),
            choices=choices,
            empty_label=None,
            null_label=_("All"),
            null_value=None,
            widget=RadioSelect,
        )


class ScopedGenericPageFilterSet(ScopedPageFilterSet, GenericPageFilterSet):
    """With the page type filter of Wagtail's listing of every page type."""

    content_type = _ContentTypeFilter(
        label=_("Page type"), queryset=_page_types, widget=CheckboxSelectMultiple
    )


_EXPLORE_ACTIONS = {"add", "change", "publish", "lock", "unlock", "bulk_delete"}


def _common_parent_path(pages) -> str:
    """The path of ``Page.objects.first_common_ancestor_of(pages)`` ("" for the tree's root)."""
    paths = [page.path[: -Page.steplen] for page in pages]
    common = posixpath.commonprefix(paths) if paths else ""
    return common[: len(common) - len(common) % Page.steplen]


class ScopedExplorableIndexView(ExplorableIndexView):
    """Wagtail's explorer of a page's children, reading what it shows with fewer queries:

    - the page shown is read once, as its own type without its own fields, with its latest
      revision and whether a publication is scheduled (Wagtail reads its type to route the
      request, then the page, then its type's fields, then its schedule); its workflow state is
      read with its rows' (one query for all);
    - its rows are read in one query, as their own types without their own fields (their titles,
      states and addresses are the page's fields), not one query per page type; their types and
      locales come from memory, and their parent is the page shown;
    - the locales (the page's, its rows', the filter's, its translations) are read once;
    - the view restrictions come from the cache ``core.pages`` keeps;
    - the rows of a first page are counted by reading them.
    """

    paginator_class = admin_reads.FirstPagePaginator

    def setup(self, request, *args, **kwargs):
        # The user, not the lazy stand-in: the menus' and filters' answers kept for the request
        # (``core.scope``) are then shared by all who ask.
        request.user = signed_in_user(request)
        super().setup(request, *args, **kwargs)

    def annotate_queryset(self, pages):
        # Their workflow states are read with the page explored's (``paginate_queryset``).
        pages = admin_reads.specific_rows(pages.defer_streamfields())
        if self.i18n_enabled:
            pages = pages.annotate_has_untranslated_locale()
        return pages.annotate_site_root_state().annotate_approved_schedule()

    def get(self, request, parent_page_id=None):
        # Without the parent column: the explorer's table never shows it (``explorable_columns``),
        # and a searched row's parent is read by ``get_context_data``.
        self.columns = [column for column in self.columns if column.name != "parent"]
        if not hasattr(request, "all_page_view_restriction_paths"):
            request.all_page_view_restriction_paths = restricted_paths()
        if parent_page_id:
            pages = Page.objects.select_related("latest_revision").annotate_approved_schedule()
            page = get_object_or_404(pages, id=parent_page_id)
            # As its own type, its own fields read only if asked for (the explorer shows the
            # page's fields), with what was read with it.
            self.parent_page = page.specific_deferred if page.specific_class else page
            self.parent_page._state.fields_cache.update(page._state.fields_cache)
            if not page._approved_schedule:
                self.parent_page.scheduled_revision = None  # nothing approved to go live
        else:
            self.parent_page = Page.get_first_root_node()

        root_page = self.permission_policy.explorable_root_instance(request.user)
        if not (
            self.parent_page.pk == root_page.pk or self.parent_page.is_descendant_of(root_page)
        ):
            return redirect(self.index_url_name, root_page.pk)

        self.parent_page = self.parent_page.specific
        self.scheduled_page = self.parent_page.get_scheduled_revision_as_object()
        self.permissions = self.parent_page.permissions_for_user(self.request.user)

        if self.i18n_enabled and not self.parent_page.is_root():
            locale = admin_reads.locale_by_id(request, self.parent_page.locale_id)
            if locale is not None:
                self.parent_page.locale = locale
            self.locale = self.parent_page.locale
            self.translations = self.get_translations()
        else:
            self.locale = None
            self.translations = []
        return super(ExplorableIndexView, self).get(request)

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        rows = page.object_list = list(rows)
        if getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            admin_reads.prefetch_workflow_states([self.parent_page, *rows])
        return paginator, page, rows, is_paginated

    def get_side_panels(self):
        panels = super().get_side_panels()
        revision = self.parent_page.latest_revision
        if revision is None:
            return panels
        for panel in panels:
            # The status panel shows the latest and the live revision of the page: the revision
            # read with the page, not read again (the live one is the latest once published).
            for shown in (getattr(panel, "object", None), self.parent_page):
                if shown is None:
                    continue
                cached = shown._state.fields_cache
                for field in ("latest_revision", "live_revision"):
                    if getattr(shown, f"{field}_id") == revision.pk:
                        cached.setdefault(field, revision)
        return panels

    def get_translations(self):
        if len(admin_reads.locales(self.request)) <= 1:
            return []  # one locale: a page has no translation
        return super().get_translations()

    def _explorable_instances(self, user):
        """``permission_policy.explorable_instances``, its common ancestor's path computed from the
        permissions' pages instead of read."""
        policy = self.permission_policy
        base = policy._base_queryset_for_user(user)
        if base is not None:
            return base
        explorable = policy.instances_user_has_any_permission_for(user, _EXPLORE_ACTIONS)
        pages = [perm.page for perm in policy.get_cached_permissions_for_user(user)]
        for page in pages:
            explorable |= Page._default_manager.ancestor_of(page)
        return explorable.filter(path__startswith=_common_parent_path(pages))

    def get_base_queryset(self):
        if self.is_searching or self.is_filtering:
            if self.is_searching_whole_tree:
                pages = self.model._default_manager.all()
            else:
                pages = self.model._default_manager.descendant_of(self.parent_page)
        else:
            pages = self.model._default_manager.child_of(self.parent_page)
        if (not self.is_searching) or getattr(
            settings, "WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS", True
        ):
            pages = pages.filter(
                pk__in=self._explorable_instances(self.request.user).values_list("pk", flat=True)
            )
        return self.annotate_queryset(pages)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        from django.contrib.contenttypes.models import ContentType

        for page in context["object_list"]:
            cached = page._state.fields_cache
            cached.setdefault("content_type", ContentType.objects.get_for_id(page.content_type_id))
            if self.i18n_enabled and "locale" not in cached:
                locale = admin_reads.locale_by_id(self.request, page.locale_id)
                if locale is not None:
                    cached["locale"] = locale
            if not self.is_searching and page.path[: -Page.steplen] == self.parent_page.path:
                page._parent_page = self.parent_page
        return context


class ScopedPageViewSet(ModeratedPageViewSet):
    """Wagtail's page views for every page type: the editor and workflow actions locked per page
    (core.moderation), the explorer's filters scoped and its reading lighter. The one page viewset
    of the portal."""

    model = Page
    name = "portal_pages"
    parent_models = [Page]
    filterset_class = ScopedGenericPageFilterSet
    index_view_class = ScopedExplorableIndexView


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
    if not reaches_whole_tree(signed_in_user(request)):
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


_page_types_dispatch = PageTypesUsageReportView.dispatch


def _page_types_for_the_whole_tree(view, request, *args, **kwargs):
    if not reaches_whole_tree(request.user):
        raise Http404
    return _page_types_dispatch(view, request, *args, **kwargs)


PageTypesUsageReportView.dispatch = _page_types_for_the_whole_tree


# The explorer of a page is routed to the viewset registered for its type's parent model, which
# Wagtail reads from the database on every request. With one viewset for every parent model,
# Page's (``ScopedPageViewSet``), the answer is that viewset whatever the page; a page that does
# not exist is "not found" by the view that reads it.
_get_by_parent_page_id = page_viewset_registry.get_by_parent_page_id


def _viewset_by_parent_page_id(parent_page_id):
    registered = page_viewset_registry.values_by_parent_model
    viewsets = {id(viewset) for viewset in registered.values()}
    if Page in registered and len(viewsets) == 1:
        return registered[Page]
    return _get_by_parent_page_id(parent_page_id)


page_viewset_registry.get_by_parent_page_id = _viewset_by_parent_page_id
