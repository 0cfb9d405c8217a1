"""The staff's side in the Wagtail admin: the list of questions and feedback (scoped to the
staff member's communes like dossiers), one item's handling screen, publication and merging."""

import django_filters
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.permission_policies import ModelPermissionPolicy

from portal.core import audit
from portal.core.admin_scope import ScopedViewMixin
from portal.core.admin_search import FoldedSearchMixin
from portal.core.audit import AuditedListingMixin, record
from portal.core.scope import can_access_commune, communes_for, filter_by_commune
from portal.core.storage import detected_content_type
from portal.eservices.admin_views import DueDateColumn
from portal.eservices.models import ProcedureArea

from . import handling
from .forms import ActionForm, MergeForm, PublicationForm
from .models import Kind, Question, QuestionFile, Status

VIEW = "questions.view_question"
HANDLE = "questions.handle_question"
MODERATE = "questions.moderate_question"

audit.register_actions(
    {
        "questions": gettext_lazy("Questions and feedback"),
        "questions.list": gettext_lazy("Question list viewed"),
        "questions.view": gettext_lazy("Question viewed"),
        "questions.handle": gettext_lazy("Question handled"),
        "questions.publish": gettext_lazy("Question publication changed"),
        "questions.merge": gettext_lazy("Question merged"),
        "questions.download_file": gettext_lazy("Question file downloaded"),
    }
)
audit.register_parameters({"kind": gettext_lazy("Type"), "area": gettext_lazy("Subject area")})


def scoped_questions(user, queryset=None, field="unit"):
    """Questions the user may see: those of their communes; staff for the whole district (or
    named for no commune, like the one-stop desk) also those about no commune."""
    queryset = Question.objects.all() if queryset is None else queryset
    return filter_by_commune(queryset, user, field, district_desk=True)


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


class QuestionFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=Status.choices, empty_label=gettext_lazy("All")
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Type"), choices=Kind.choices, empty_label=gettext_lazy("All")
    )
    area = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Subject area"),
        queryset=lambda request: ProcedureArea.objects.all(),
        empty_label=gettext_lazy("All"),
    )
    overdue = django_filters.ChoiceFilter(
        label=gettext_lazy("Due date"),
        choices=[("on", gettext_lazy("Overdue only"))],
        empty_label=gettext_lazy("All"),
        method="filter_overdue",
    )

    class Meta:
        model = Question
        fields = []

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset


class QuestionPermissionPolicy(ModelPermissionPolicy):
    """Listed for staff who may view questions; handled on the item's own screen."""

    def user_has_permission(self, user, action):
        return action == "view" and user.has_perm(VIEW)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and user.has_perm(VIEW)


def _detail_url(question):
    return reverse("questions_admin:detail", args=[question.pk])


class QuestionIndexView(ScopedViewMixin, AuditedListingMixin, FoldedSearchMixin, IndexView):
    """Questions within the user's communes, searched by code, title or sender's phone, filtered
    by status, type, field and lateness; each page shown is audited."""

    page_title = gettext_lazy("Questions and feedback")
    header_icon = "help"
    paginate_by = 30
    default_ordering = "-submitted_at"
    is_searchable = True
    search_fields = ["code", "title", "asker_phone"]
    number_fields = ("asker_phone",)
    audit_list_action = "questions.list"
    columns = [
        TitleColumn("code", label=gettext_lazy("Tracking code"), get_url=_detail_url),
        Column("title", label=gettext_lazy("Title")),
        Column("kind", label=gettext_lazy("Type"), accessor="get_kind_display"),
        Column("unit", label=gettext_lazy("Unit concerned"), accessor=lambda q: q.unit or "—"),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        Column(
            "submitted_at",
            label=gettext_lazy("Received at"),
            accessor=lambda q: date_format(timezone.localtime(q.submitted_at), "H:i d/m/Y"),
            sort_key="submitted_at",
        ),
        DueDateColumn("due_date", label=gettext_lazy("Due date"), sort_key="due_date"),
    ]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("unit")

    def get_search_form(self):
        form = super().get_search_form()
        if form is not None:
            form.fields["q"].widget.attrs["placeholder"] = _("Code, title or phone")
        return form

    def get_add_url(self):
        return None  # sent by citizens, not added here


def officers_for(question):
    """Active staff who may handle questions and whose communes include the question's unit."""
    permission = Permission.objects.get(
        content_type__app_label="questions", codename="handle_question"
    )
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions=permission)
            | Q(user_permissions=permission)
        )
        .distinct()
    )
    allowed = [
        u.pk
        for u in users
        if question.unit_id is None or can_access_commune(u, question.unit_id, district_desk=True)
    ]
    return get_user_model().objects.filter(pk__in=allowed).order_by("first_name", "username")


def _forms(request, question, data=None):
    action_form = ActionForm(
        question, officers_for(question), communes_for(request.user), data=data
    )
    return action_form, PublicationForm(question), MergeForm()


def question_detail(request, pk):
    _require(request, VIEW)
    question = get_object_or_404(
        scoped_questions(request.user).select_related("area", "unit", "assignee", "duplicate_of"),
        pk=pk,
    )
    can_handle = request.user.has_perm(HANDLE)
    can_moderate = request.user.has_perm(MODERATE)
    action_form, publication_form, merge_form = _forms(request, question)
    if request.method == "POST":
        step = request.POST.get("form")
        if step == "action" and can_handle:
            action_form = ActionForm(
                question, officers_for(question), communes_for(request.user), request.POST
            )
            if action_form.is_valid():
                action = action_form.cleaned_data["action"]
                handling.apply_action(question, action, action_form.cleaned_data, request.user)
                record(
                    request,
                    "questions.handle",
                    subject=f"{question.code}: {ActionForm.LABELS[action]}",
                    count=1,
                )
                messages.success(
                    request,
                    _("%(code)s: %(status)s.")
                    % {"code": question.code, "status": question.get_status_display()},
                )
                return redirect("questions_admin:detail", pk=question.pk)
        elif step == "publication" and can_moderate:
            publication_form = PublicationForm(question, request.POST)
            if publication_form.is_valid():
                data = publication_form.cleaned_data
                handling.set_published(
                    question, data["published"], request.user, data["public_title"],
                    data["public_content"],
                )  # fmt: skip
                record(request, "questions.publish", subject=question.code, count=1)
                messages.success(request, _("Publication saved."))
                return redirect("questions_admin:detail", pk=question.pk)
        elif step == "merge" and can_moderate:
            merge_form = MergeForm(request.POST)
            if merge_form.is_valid():
                original = (
                    scoped_questions(request.user)
                    .filter(code=merge_form.cleaned_data["original"])
                    .first()
                )
                if original is None or original.pk == question.pk or original.duplicate_of_id:
                    merge_form.add_error("original", _("No other question of yours has this code."))
                else:
                    handling.merge_into(question, original, request.user)
                    record(
                        request,
                        "questions.merge",
                        subject=f"{question.code} → {original.code}",
                        count=1,
                    )
                    messages.success(request, _("Merged into %(code)s.") % {"code": original.code})
                    return redirect("questions_admin:detail", pk=question.pk)
        else:
            raise PermissionDenied
    else:
        record(request, "questions.view", subject=question.code, count=1)
    return render(
        request,
        "questions/admin/detail.html",
        {
            "page_title": question.code,
            "page_subtitle": question.title,
            "header_icon": "help",
            "question": question,
            "files": question.files.all(),
            "events": question.events.all(),
            "emails": _emails_of(question),
            "action_form": action_form if handling.allowed_actions(question) else None,
            "publication_form": publication_form,
            "merge_form": merge_form,
            "can_handle": can_handle,
            "can_moderate": can_moderate,
            "publishable": question.is_publishable,
        },
    )


def _emails_of(question):
    """The e-mails to the asker about this question (portal.notifications)."""
    return handling.notifications_of(question).filter(channel="email")


def question_file(request, pk):
    """An attachment, to staff who may view the question; every download audited."""
    _require(request, VIEW)
    item = get_object_or_404(
        scoped_questions(
            request.user, QuestionFile.objects.select_related("question"), "question__unit"
        ),
        pk=pk,
    )
    record(
        request,
        "questions.download_file",
        subject=f"{item.question.code}/{item.original_name}",
        count=1,
    )
    with item.file.open("rb") as fh:
        response = HttpResponse(fh.read(), content_type=detected_content_type(fh))
    response["Content-Disposition"] = f'attachment; filename="{item.original_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response
