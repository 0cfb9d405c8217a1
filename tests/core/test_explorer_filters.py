"""The page explorer's filters offer a commune editor only their own site's sites and staff:
not the name of every commune's site and every staff member who ever owned or edited a page."""

from portal.news.models import NewsPage
from tests.core.test_sites_editors import OTHER, TOWN, sites, town_editor  # noqa: F401


def test_the_explorer_filters_name_only_the_editors_own_site_and_staff(
    client,
    sites,  # noqa: F811
    town_editor,  # noqa: F811
    staff_user_factory,
):
    stranger = staff_user_factory()
    stranger.first_name, stranger.last_name = "Khánh", "Đỗ Văn"
    stranger.save()
    colleague = staff_user_factory()
    colleague.first_name, colleague.last_name = "Hoa", "Phạm Thị"
    colleague.save()
    for code, owner in ((OTHER, stranger), (TOWN, colleague)):
        sites[code]["news"].add_child(
            instance=NewsPage(title=f"Tin của {code}", summary="x", body=[], owner=owner)
        )
    client.force_login(town_editor)
    for page in (sites[TOWN]["site"].home, sites[TOWN]["news"]):
        html = client.get(f"/admin/pages/{page.pk}/").content.decode()
        assert "Phạm Thị Hoa" in html or "Hoa" in html
        assert "Khánh" not in html
        assert sites[OTHER]["site"].site.hostname not in html
        assert sites[OTHER]["site"].site.site_name not in html


def test_the_page_reports_name_no_other_communes_staff_or_pages(
    client,
    sites,  # noqa: F811
    town_editor,  # noqa: F811
    staff_user_factory,
):
    from portal.core import roles

    stranger = staff_user_factory()
    stranger.first_name, stranger.last_name = "Khánh", "Đỗ Văn"
    stranger.save()
    page = sites[OTHER]["news"].add_child(
        instance=NewsPage(title="Bản nháp của xã khác", summary="x", body=[], owner=stranger)
    )
    page.save_revision(user=stranger, log_action=True)
    client.force_login(town_editor)
    history = client.get("/admin/reports/site-history/")
    assert history.status_code == 200
    assert "Khánh" not in history.content.decode()
    assert client.get("/admin/reports/page-types-usage/").status_code == 404
    assert "/admin/reports/page-types-usage/" not in client.get("/admin/").content.decode()
    # The district's editors reach the whole tree and keep both.
    client.force_login(staff_user_factory(groups=[roles.EDITOR]))
    usage = client.get("/admin/reports/page-types-usage/")
    assert usage.status_code == 200 and "Bản nháp của xã khác" in usage.content.decode()


def test_every_page_type_uses_the_one_portal_page_viewset(db):
    """The explorer's scoped filters and the per-page moderation lock live on one viewset: a
    second viewset registered for pages would silently replace the other's views."""
    from wagtail.admin.viewsets.pages import page_viewset_registry
    from wagtail.models import Page

    from portal.core.moderation import ModeratedPageViewSet
    from portal.core.page_explorer import ScopedPageViewSet
    from portal.news.models import NewsPage

    for model in (Page, NewsPage):
        viewset = page_viewset_registry.get_by_type(model)
        assert isinstance(viewset, ScopedPageViewSet) and isinstance(viewset, ModeratedPageViewSet)
        assert page_viewset_registry.get_by_parent_model(model) is viewset
