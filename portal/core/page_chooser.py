"""Wagtail's page chooser ("Chọn trang"), browsing a page's children with fewer queries.

Wagtail's ``BrowseView.get`` reads the page browsed, then its type, then its schedule and its
workflow state for its own row; its children once per page type; the locales three or four times;
the rows' count before the rows; and each row asks for its parent. ``browse`` below is that view
with the same answers read once:

- the page browsed is read as its own type (without its own fields) with its workflow state and
  schedule (one query and its workflow prefetch);
- its children are read in one query, as their own types without their own fields (a row shows
  the page's fields: title, status, address); their types, locales and parent come from memory;
- the locales are read once per request (``admin_reads.locales``): with one locale there is no
  other to offer and no translation to look for;
- the first page of rows is counted by reading it;
- the view restrictions come from the cache ``core.pages`` keeps;
- ``request.user`` is the user itself, not the lazy stand-in, so that what ``core.scope`` keeps
  for the request is shared by the menus and the chooser's own filter.

The rest is Wagtail's code, unchanged; ``BrowseView.get`` is replaced when this module is imported
(``core.wagtail_hooks``).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from wagtail.admin.forms.search import SearchForm
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.views import chooser
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from . import admin_reads
from .pages import restricted_paths


def _active_locale(request):
    """``Locale.get_active()``, from the locales the request has read."""
    for code in (translation.get_language(), settings.LANGUAGE_CODE):
        try:
            variant = get_supported_content_language_variant(code)
        except LookupError:
            continue
        for locale in admin_reads.locales(request):
            if locale.language_code == variant:
                return locale
    return Locale.get_active()


def _parent_page(parent_page_id):
    """The page browsed, as its own type without its own fields (its row shows the page's)."""
    pages = Page.objects.annotate_approved_schedule().prefetch_workflow_states()
    page = get_object_or_404(pages, id=parent_page_id)
    return page.specific_deferred if page.specific_class else page


def _first_page(pages, number, per_page=25):
    """``Paginator(pages, per_page).page(number)``, without the count when page 1 holds them all."""
    paginator = Paginator(pages, per_page=per_page)
    if str(number) == "1":
        rows = list(pages[: per_page + 1])
        if len(rows) <= per_page:
            paginator.__dict__["count"] = len(rows)
            return paginator.page(1).__class__(rows, 1, paginator)
    return paginator.page(number)


def browse(self, request, parent_page_id=None):
    from .page_explorer import signed_in_user

    request.user = signed_in_user(request)  # what is kept for the request, kept on the user
    self.i18n_enabled = getattr(settings, "WAGTAIL_I18N_ENABLED", False)
    self.is_multiple_choice = request.GET.get("multiple")
    if not hasattr(request, "all_page_view_restriction_paths"):
        request.all_page_view_restriction_paths = restricted_paths()

    page_type_string = request.GET.get("page_type") or chooser.base_page_type_string
    user_perm = request.GET.get("user_perms", False)

    try:
        self.desired_classes = chooser.page_models_from_string(page_type_string)
    except (ValueError, LookupError) as e:
        raise Http404 from e

    if parent_page_id:
        self.parent_page = _parent_page(parent_page_id)
    elif self.desired_classes == (Page,):
        self.parent_page = Page.get_first_root_node()
    else:
        all_desired_pages = Page.objects.all().type(*self.desired_classes)
        self.parent_page = all_desired_pages.first_common_ancestor()

    self.parent_page = self.parent_page.specific

    pages = self.get_object_list()
    pages = self.filter_object_list(pages)

    can_choose_root = request.GET.get("can_choose_root", False)
    target_pages = Page.objects.filter(
        pk__in=[int(pk) for pk in request.GET.getlist("target_pages[]", []) if pk]
    )

    match_subclass = request.GET.get("match_subclass", True)

    def can_choose(page):
        return chooser.can_choose_page(
            page,
            request.user,
            self.desired_classes,
            can_choose_root,
            user_perm,
            target_pages=target_pages,
            match_subclass=match_subclass,
        )

    self.parent_page.can_choose = can_choose(self.parent_page)
    self.parent_page.is_parent_page = True
    self.parent_page.can_descend = False

    selected_locale = None
    locale_options = []
    if self.i18n_enabled:
        locales = admin_reads.locales(request)
        locale = admin_reads.locale_by_id(request, self.parent_page.locale_id)
        if locale is not None:
            self.parent_page.locale = locale
        new_params = request.GET.copy()
        new_params.pop("p", None)
        if self.parent_page.is_root():
            if request.GET.get("locale"):
                selected_locale = get_object_or_404(Locale, language_code=request.GET["locale"])
                active_locale_id = selected_locale.pk
            else:
                active_locale_id = _active_locale(request).pk

            if any(locale.pk != active_locale_id for locale in locales):
                choose_url = reverse("wagtailadmin_choose_page")
                for locale in Locale.objects.filter(pk__in=pages.values_list("locale_id")).exclude(
                    pk=active_locale_id
                ):
                    new_params["locale"] = locale.language_code
                    locale_options.append(
                        {"locale": locale, "url": choose_url + "?" + new_params.urlencode()}
                    )
        else:
            selected_locale = self.parent_page.locale
            new_params.pop("locale", None)
            if any(locale.pk != selected_locale.pk for locale in locales):
                locales_and_parent_pages = {
                    item["locale"]: item["pk"]
                    for item in Page.objects.translation_of(self.parent_page).values("locale", "pk")
                }
                locales_and_parent_pages[selected_locale.pk] = self.parent_page.pk
                for locale in (
                    locale
                    for locale in locales  # in Locale's order, by language code
                    if locale.pk in locales_and_parent_pages and locale.pk != selected_locale.pk
                ):
                    choose_child_url = reverse(
                        "wagtailadmin_choose_page_child",
                        args=[locales_and_parent_pages[locale.pk]],
                    )
                    locale_options.append(
                        {
                            "locale": locale,
                            "url": choose_child_url + "?" + new_params.urlencode(),
                        }
                    )

        if selected_locale:
            pages = pages.filter(locale=selected_locale)

    try:
        pages = _first_page(pages, request.GET.get("p", 1))
    except InvalidPage as e:
        raise Http404 from e

    for page in pages:
        page.can_choose = can_choose(page)
        page.can_descend = page.get_children_count()
        page.is_parent_page = False
        _from_memory(request, page, self.parent_page, self.i18n_enabled)

    table = chooser.PageChooserTable(
        self.columns,
        [self.parent_page] + list(pages),
        show_locale_labels=self.i18n_enabled,
    )

    context = chooser.shared_context(
        request,
        {
            "parent_page": self.parent_page,
            "parent_page_id": self.parent_page.pk,
            "table": table,
            "pagination_page": pages,
            "search_form": SearchForm(),
            "page_type_string": page_type_string,
            "page_type_names": [
                desired_class.get_verbose_name() for desired_class in self.desired_classes
            ],
            "page_types_restricted": (page_type_string != chooser.base_page_type_string),
            "show_locale_controls": self.i18n_enabled,
            "locale_options": locale_options,
            "selected_locale": selected_locale,
            "is_multiple_choice": self.is_multiple_choice,
        },
    )

    return render_modal_workflow(
        request,
        "wagtailadmin/chooser/browse.html",
        None,
        context,
        json_data={"step": "browse", "parent_page_id": context["parent_page_id"]},
    )


def _from_memory(request, page, parent, i18n_enabled):
    """What a row shows that is not one of its fields: its type, locale and parent."""
    cached = page._state.fields_cache
    cached.setdefault("content_type", ContentType.objects.get_for_id(page.content_type_id))
    if i18n_enabled and "locale" not in cached:
        locale = admin_reads.locale_by_id(request, page.locale_id)
        if locale is not None:
            cached["locale"] = locale
    if page.path[: -Page.steplen] == parent.path:
        page._cached_parent_obj = parent


def get_object_list(self):
    """The children of the page browsed, as their own types without their own fields."""
    return admin_reads.specific_rows(self.parent_page.get_children().defer_streamfields())


chooser.BrowseView.get = browse
chooser.BrowseView.get_object_list = get_object_list
