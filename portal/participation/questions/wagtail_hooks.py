from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from portal.core import roles
from portal.core.admin_scope import ScopedViewSetMixin

from . import admin_views
from .models import Question, Status

register_permission_policy(
    Question, admin_views.QuestionPermissionPolicy(Question), exact_class=True
)


class QuestionViewSet(ScopedViewSetMixin, ModelViewSet):
    """The list of questions and feedback at /admin/hoi-dap/ (scoped like dossiers: the unit
    concerned is the commune). An item's screen is ``admin_views.question_detail``."""

    model = Question
    url_prefix = "hoi-dap"
    scope_field = "unit"
    district_desk = True
    icon = "help"
    menu_label = gettext_lazy("Questions and feedback")
    menu_order = 255
    add_to_admin_menu = True
    index_view_class = admin_views.QuestionIndexView
    filterset_class = admin_views.QuestionFilterSet
    copy_view_enabled = False
    add_to_reference_index = False
    exclude_form_fields = []

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]

    def get_permissions_to_register(self):
        return Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model)
        ).exclude(codename__regex=r"^(add|change|delete)_")

    def register_admin_url_finder(self):
        pass


question_viewset = QuestionViewSet("questions_list")


@hooks.register("register_admin_viewset")
def register_question_viewset():
    return question_viewset


admin_urlpatterns = [
    path("", question_viewset.index_view, name="list"),
    path("<int:pk>/", admin_views.question_detail, name="detail"),
    path("tep/<int:pk>/", admin_views.question_file, name="file"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "hoi-dap/",
            include((admin_urlpatterns, "questions_admin"), namespace="questions_admin"),
        )
    ]


class QuestionPanel(Component):
    """On the dashboard: new and overdue questions of the user's communes."""

    name = "questions"
    order = 125
    template_name = "questions/admin/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        questions = admin_views.scoped_questions(self.user)
        return {
            "new_count": questions.filter(status=Status.NEW).count(),
            "overdue_count": questions.overdue(timezone.localdate()).count(),
            "overdue": questions.overdue().order_by("due_date")[:5],
        }


@hooks.register("construct_homepage_panels")
def add_question_panel(request, panels):
    if request.user.has_perm(admin_views.HANDLE):
        panels.append(QuestionPanel(request.user))


@hooks.register("portal_nav_items")
def nav_items(request):
    return [{"title": _("Questions and answers"), "url": reverse("questions:answers"), "order": 70}]


@hooks.register("portal_role_permissions")
def role_permissions():
    """The one-stop desk and commune staff handle questions (within their communes); leaders
    also moderate what is published; editors moderate without seeing contacts."""
    view = [admin_views.VIEW]
    handle = [*view, admin_views.HANDLE]
    moderate = [*view, admin_views.MODERATE]
    return {
        roles.ONE_STOP_OFFICER: handle,
        roles.COMMUNE_STAFF: handle,
        roles.APPROVER: [*handle, admin_views.MODERATE],
        roles.EDITOR: moderate,
        roles.ADMINISTRATOR: [*handle, admin_views.MODERATE],
    }


@hooks.register("portal_personal_data")
def personal_data():
    """What questions hold about a person, for data-subject requests (portal.core)."""
    from .handling import anonymise_question

    def find(phone, id_number):
        # Senders give a phone number, never an ID number.
        return Question.objects.filter(asker_phone=phone) if phone else Question.objects.none()

    def anonymise(queryset):
        count = 0
        for question in queryset.filter(anonymised_at__isnull=True):
            anonymise_question(question)
            count += 1
        return count

    return [(_("Questions and feedback"), find, anonymise)]


@hooks.register("portal_notification_about")
def question_notifications():
    """Messages about a question are seen in the delivery report by those who may see the
    question (its unit's desk), like the question itself."""
    from portal.notifications.kinds import About

    return About(
        name="questions",
        label=gettext_lazy("Questions and feedback"),
        model=Question,
        scope=lambda user, qs: (
            admin_views.scoped_questions(user, qs) if user.has_perm(admin_views.VIEW) else qs.none()
        ),
        url=lambda question: reverse("questions_admin:detail", args=[question.pk]),
    )
