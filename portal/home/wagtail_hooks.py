from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks


@hooks.register("portal_nav_items")
def home_nav(request):
    # The home page and the organisation page are in the site's menu (portal_tags).
    return [{"title": _("Search"), "url": reverse("home:search"), "order": 60}]


@hooks.register("portal_build_unit_site", order=30)
def build_unit_site_organisation(home, unit):
    """A unit's site's organisation and contact page (portal.core.unit_sites)."""
    from portal.core.unit_sites import ensure_child, unit_phrase

    from .models import OrganisationPage

    _page, created = ensure_child(
        home, OrganisationPage, "gioi-thieu", title="Giới thiệu và liên hệ",
        intro=f"<p>Ủy ban nhân dân {unit_phrase(unit)} là cơ quan hành chính nhà nước ở địa "
        "phương.</p>",
    )  # fmt: skip
    return [created]
