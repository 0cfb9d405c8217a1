"""The staff side: moderating comments (approve or reject) within the user's sites, and the
summary of a draft's comments for the drafting agency, on screen, as DOCX and as XLSX.

Comments are listed and opened through a scoped viewset (core.admin_scope): a commune's editors
see their site's comments only, and every listing and every comment opened is in the audit log.
The commenter's name and contact are shown only to those holding ``consultations.view_contact``.
"""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.core import audit
from portal.core.admin_scope import ScopedViewSetMixin
from portal.core.cache import purge_all
from portal.core.scope import filter_by_site, site_ids_for

from . import summary as summaries
from .models import Comment, CommentStatus, DraftPage

VIEW = "consultations.view_comment"
MODERATE = "consultations.change_comment"
VIEW_CONTACT = "consultations.view_contact"
AUDIT_COMMENTS = "consultations.comments"
AUDIT_SUMMARY = "consultations.summary"

audit.register_actions(
    {
        AUDIT_COMMENTS: _("Comments on drafts"),
        f"{AUDIT_COMMENTS}.list": _("Comments on drafts: list viewed"),
        f"{AUDIT_COMMENTS}.view": _("Comments on drafts: comment opened"),
        AUDIT_SUMMARY: _("Summary of comments on a draft"),
    }
)


class ModerationForm(WagtailAdminModelForm):
    """Staff choose the status only: a citizen's words are never edited."""

    def save(self, commit=True):
        comment = super().save(commit=False)
        if "status" in self.changed_data:
            comment.moderated_at = timezone.now()
            comment.moderated_by = self.for_user
        if commit:
            comment.save()
            # The draft's page shows approved comments and is cached for everyone.
            transaction.on_commit(purge_all)
        return comment


def _drafts_for(request):
    return filter_by_site(DraftPage.objects.all(), request.user, "comments__site").distinct()


class CommentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CommentStatus.choices)
    page = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("consultation", "Draft"), queryset=_drafts_for
    )

    class Meta:
        model = Comment
        fields = ["status", "page"]


class CommentPermissionPolicy(ModelPermissionPolicy):
    """Comments come from citizens only: nobody adds one in the admin, a superuser included."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [a for a in actions if a != "add"])


register_permission_policy(Comment, CommentPermissionPolicy(Comment))


def _contact_left(comment) -> str:
    return gettext("Yes") if comment.has_contact else gettext("No")


class CommentViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Comment
    scope_by = "site"
    scope_field = "site"
    audit_action = AUDIT_COMMENTS
    add_to_reference_index = False
    icon = "comment"
    menu_label = _("Comments on drafts")
    menu_order = 266
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    filterset_class = CommentFilterSet
    search_fields = ["body"]
    list_per_page = 50
    ordering = ["-created_at"]
    list_display = [
        "__str__",
        "page",
        Column("where", label=_("On"), accessor="where"),
        "created_at",
        "status",
        Column("has_contact", label=_("Left a contact"), accessor=_contact_left),
    ]

    edit_handler = ObjectList(
        [
            FieldPanel("page", read_only=True),
            FieldPanel("section_heading", read_only=True, heading=_("On")),
            FieldPanel("body", read_only=True),
            FieldPanel("created_at", read_only=True),
            MultiFieldPanel(
                [
                    FieldPanel("name", read_only=True, permission=VIEW_CONTACT),
                    FieldPanel("phone", read_only=True, permission=VIEW_CONTACT),
                    FieldPanel("email", read_only=True, permission=VIEW_CONTACT),
                ],
                heading=_("Commenter (never published)"),
            ),
            FieldPanel("status", widget=forms.RadioSelect),
        ],
        base_form_class=ModerationForm,
    )


comment_viewset = CommentViewSet("consultations_comments", url_prefix="gop-y-du-thao")


# --- Summary for the drafting agency ----------------------------------------------------------


def _draft_for(request, page_id) -> DraftPage:
    """The draft, if the user may read its comments (another site's draft: not found)."""
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    draft = get_object_or_404(DraftPage, pk=page_id)
    ids = site_ids_for(request.user)
    if ids is not None:
        site = draft.get_site()
        if site is None or site.pk not in ids:
            raise Http404
    return draft


def summary_view(request, page_id):
    draft = _draft_for(request, page_id)
    summary = summaries.build_summary(draft)
    moderate_url = reverse(comment_viewset.get_url_name("index")) + f"?page={draft.pk}"
    return TemplateResponse(
        request,
        "consultations/admin/summary.html",
        {"draft": draft, "summary": summary, "moderate_url": moderate_url},
    )


def _download(request, page_id, extension, render, content_type):
    draft = _draft_for(request, page_id)
    summary = summaries.build_summary(draft)
    body = render(summary)
    audit.record(
        request,
        f"{AUDIT_SUMMARY}.export.{extension}",
        subject=f"#{draft.pk} {draft.title}",
        count=summary.approved,
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{summaries.filename(summary, extension)}"'
    )
    return response


def summary_docx(request, page_id):
    return _download(
        request,
        page_id,
        "docx",
        summaries.render_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def summary_xlsx(request, page_id):
    return _download(
        request,
        page_id,
        "xlsx",
        summaries.render_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
