"""Commune scoping of every admin view of a scoped model, applied where the views get their rows.

A Wagtail viewset registers many views for one model: listing and its results, add, edit, delete,
history and history results, usage, inspect, copy, reorder, choosers, exports of the listing.
Scoping each view by hand left some open (a check-in's history showed anyone's name). Instead a
viewset that mixes in ``ScopedViewSetMixin`` builds every one of its views, including those Wagtail
adds later, as a subclass with ``ScopedViewMixin`` in front, which

- filters every queryset of the model the view reads (``get_base_queryset``, ``get_queryset``,
  ``get_base_object_queryset``, a chooser's ``get_object_list``) through ``core.scope``;
- checks the one record a view fetched (``get_object``, however the view fetched it) and answers
  404 when it is out of scope;
- for models holding personal data (``audit_action`` set), writes each view of a record to the
  audit log, and each listing page (its results fragment and exports included) with the number of
  rows it actually showed (``audit.record_listing``), phone and ID numbers in search terms masked.

Wagtail's site history lists log entries of every model with their titles (a check-in's title is
the visitor's name): ``ScopedLogEntriesView`` leaves out the entries of records out of scope.
"""

from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import Http404
from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.reports.audit_logging import LogEntriesView

from .audit import record, record_listing
from .masking import mask_numbers
from .scope import (
    commune_ids_for,
    filter_by_commune,
    filter_by_site,
    object_in_scope,
    object_in_site_scope,
    site_ids_for,
)

# model → (lookup path to its commune, district_desk), filled as scoped viewsets are registered.
SCOPED_MODELS = {}


class ScopedViewMixin:
    scope_field = "commune"
    scope_by = "commune"  # or "site": records of a site (its schedule...), by page permissions
    district_desk = False
    audit_action = ""

    def _is_scoped_model(self, model):
        return self.model is not None and model is not None and issubclass(model, self.model)

    def scope_queryset(self, queryset):
        if self._is_scoped_model(getattr(queryset, "model", None)):
            if self.scope_by == "site":
                return filter_by_site(queryset, self.request.user, self.scope_field)
            return filter_by_commune(
                queryset, self.request.user, self.scope_field, self.district_desk
            )
        return queryset

    def get_base_queryset(self):
        return self.scope_queryset(super().get_base_queryset())

    def get_queryset(self, *args, **kwargs):
        return self.scope_queryset(super().get_queryset(*args, **kwargs))

    def get_base_object_queryset(self):
        return self.scope_queryset(super().get_base_object_queryset())

    def get_object_list(self, *args, **kwargs):
        return self.scope_queryset(super().get_object_list(*args, **kwargs))

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if self._is_scoped_model(type(obj)) and not self.in_scope(obj):
            raise Http404
        return obj

    def in_scope(self, obj):
        if self.scope_by == "site":
            return object_in_site_scope(self.request.user, obj, self.scope_field)
        return object_in_scope(self.request.user, obj, self.scope_field, self.district_desk)

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if self.audit_action and request.method == "GET" and response.status_code == 200:
            self.audit(request)
        return response

    def audit(self, request):
        obj = getattr(self, "object", None)
        if self._is_scoped_model(type(obj)):
            view = request.resolver_match.url_name if request.resolver_match else ""
            record(
                request,
                f"{self.audit_action}.view",
                subject=f"#{obj.pk}",
                parameters={"view": view},
                count=1,
            )

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if self.audit_action and isinstance(self, IndexView):
            self.audit_listing(context["object_list"])
        return context

    def audit_listing(self, rows):
        """A listing is recorded where its rows are known: the page shown (or, for an export,
        every row written), so the entry counts the records the user actually saw."""
        parameters = {k: mask_numbers(v) for k, v in self.request.GET.items()}
        if getattr(self, "is_export", False):
            export = parameters.pop("export")
            action = f"{self.audit_action}.export.{export}"
        else:
            action = f"{self.audit_action}.list"
        record_listing(self.request, action, rows, parameters)


@cache
def scoped_view_class(view_class):
    if issubclass(view_class, ScopedViewMixin):
        return view_class
    return type(f"Scoped{view_class.__name__}", (ScopedViewMixin, view_class), {})


class ScopedViewSetMixin:
    """Put before ModelViewSet (or SnippetViewSet, ChooserViewSet): every view it builds is
    scoped. ``scope_field`` is the lookup path from the model to its commune (or, with
    ``scope_by = "site"``, to its Wagtail site)."""

    scope_field = "commune"
    scope_by = "commune"
    district_desk = False
    audit_action = ""

    def construct_view(self, view_class, **kwargs):
        kwargs.setdefault("scope_field", self.scope_field)
        kwargs.setdefault("scope_by", self.scope_by)
        kwargs.setdefault("district_desk", self.district_desk)
        kwargs.setdefault("audit_action", self.audit_action)
        return super().construct_view(scoped_view_class(view_class), **kwargs)

    def on_register(self):
        super().on_register()
        SCOPED_MODELS[self.model] = (self.scope_field, self.district_desk, self.scope_by)


def scope_log_entries(queryset, user):
    """Log entries (Wagtail's ModelLogEntry) without those of scoped records out of scope."""
    if "object_id" not in {f.name for f in queryset.model._meta.concrete_fields}:
        return queryset  # page log entries: pages are not commune-scoped
    for model, (field, district_desk, scope_by) in SCOPED_MODELS.items():
        everything = model._default_manager.all()
        if scope_by == "site":
            if site_ids_for(user) is None:
                continue
            visible = filter_by_site(everything, user, field)
        elif commune_ids_for(user, district_desk) is None:
            continue
        else:
            visible = filter_by_commune(everything, user, field, district_desk)
        visible_ids = visible.annotate(pk_text=Cast("pk", CharField())).values("pk_text")
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        queryset = queryset.exclude(Q(content_type=content_type) & ~Q(object_id__in=visible_ids))
    return queryset


class ScopedLogEntriesView(LogEntriesView):
    """Wagtail's site history and its CSV/XLSX exports, within the user's communes."""

    def filter_queryset(self, queryset):
        return scope_log_entries(super().filter_queryset(queryset), self.request.user)


# Placed before Wagtail's admin URLs (portal/urls.py) so that they answer these paths.
site_history_urls = [
    path(
        "site-history/",
        require_admin_access(never_cache(ScopedLogEntriesView.as_view())),
    ),
    path(
        "site-history/results/",
        require_admin_access(never_cache(ScopedLogEntriesView.as_view(results_only=True))),
    ),
]
