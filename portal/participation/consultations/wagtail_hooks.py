from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from portal.core import roles

from . import admin_views
from .admin_views import MODERATE, VIEW, VIEW_CONTACT, comment_viewset


@hooks.register("register_admin_viewset")
def register_viewset():
    return comment_viewset


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("lay-y-kien/<int:page_id>/", admin_views.summary_view, name="consultations_summary"),
        path("lay-y-kien/<int:page_id>/tong-hop.docx", admin_views.summary_docx,
             name="consultations_summary_docx"),
        path("lay-y-kien/<int:page_id>/tong-hop.xlsx", admin_views.summary_xlsx,
             name="consultations_summary_xlsx"),
    ]  # fmt: skip


class SummaryButton(PageMenuItem):
    """ "Summary of comments" beside a draft's edit button."""

    label = gettext_lazy("Summary of comments")
    icon_name = "doc-full"
    url_name = "consultations_summary"


@hooks.register("register_page_header_buttons")
def summary_button(page, user, view_name, next_url=None):
    from .models import DraftPage

    if issubclass(page.specific_class or object, DraftPage) and user.has_perm(VIEW):
        yield SummaryButton(page=page, priority=13)


@hooks.register("portal_role_permissions")
def role_permissions():
    """Editors moderate their sites' comments; the names and contacts of commenters are for those
    who answer for the consultation (approvers, administrators)."""
    moderate = [VIEW, MODERATE]
    return {
        roles.EDITOR: moderate,
        roles.APPROVER: [*moderate, VIEW_CONTACT],
        roles.ADMINISTRATOR: [*moderate, VIEW_CONTACT],
        roles.SITE_GROUPS: moderate,
    }


@hooks.register("portal_build_unit_site", order=40)
def build_unit_site_section(home, unit):
    """A unit's site's "Lấy ý kiến dự thảo" section (portal.core.unit_sites)."""
    from portal.core.unit_sites import ensure_child, unit_phrase

    from .models import ConsultationIndexPage

    _page, created = ensure_child(
        home,
        ConsultationIndexPage,
        "lay-y-kien-du-thao",
        title="Lấy ý kiến dự thảo",
        intro=f"Dự thảo văn bản của {unit_phrase(unit)} đang lấy ý kiến nhân dân.",
    )
    return [created]


@hooks.register("portal_personal_data")
def personal_data():
    """A commenter's request: their comments found by phone number; erasing keeps the comment
    and removes who sent it."""
    from django.utils import timezone

    from .models import Comment

    def find(phone, id_number):
        return Comment.objects.filter(phone=phone) if phone else Comment.objects.none()

    def erase(queryset):
        return queryset.update(name="", phone="", email="", contact_erased_at=timezone.now())

    return [(_("Comments on drafts"), find, erase)]
