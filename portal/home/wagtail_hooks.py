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
    return [created, give_quick_links(home)]


def give_quick_links(home) -> bool:
    """A new site's home leads to the services every site serves (its own catalogue, the health
    declaration, the dossier lookup, check-in help), until its editors change it: only a home
    never edited (no revision yet) gets them."""
    from .models import DEFAULT_QUICK_LINKS

    home = home.specific
    if home.quick_links or home.revisions.exists():
        return False
    home.quick_links = [
        ("link", {"title": t, "url": u, "description": d}) for t, u, d in DEFAULT_QUICK_LINKS
    ]
    home.save_revision().publish()
    return True
