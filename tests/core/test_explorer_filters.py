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
