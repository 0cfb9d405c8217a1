from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.core import roles

from . import dashboard
from .admin_views import dashboard_view


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("danh-gia/", dashboard_view, name="ratings_dashboard")]


class RatingsMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return dashboard.can_see_pages(user) or dashboard.can_see_services(user)


@hooks.register("register_admin_menu_item")
def register_menu():
    return RatingsMenuItem(
        _("Citizens' ratings"), reverse("ratings_dashboard"), icon_name="pick", order=265
    )


@hooks.register("portal_role_permissions")
def role_permissions():
    """Who reads which ratings: content people the pages', the one-stop desk the services'."""
    pages, services = [dashboard.PAGE_PERMISSION], [dashboard.SERVICE_PERMISSION]
    return {
        roles.EDITOR: pages,
        roles.APPROVER: [*pages, *services],
        roles.ONE_STOP_OFFICER: services,
        roles.ADMINISTRATOR: [*pages, *services],
        roles.SITE_GROUPS: pages,
    }
