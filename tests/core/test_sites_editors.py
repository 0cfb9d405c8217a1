"""A commune's editors reach only their site's pages, images and documents (Wagtail's page
permissions on the site's root and collection permissions, as ``create_unit_site`` sets them), and
their pages go to their own approvers."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from portal.core import roles
from portal.core.models import AdministrativeUnit
from portal.core.unit_sites import approvers_group_name, editors_group_name, ensure_unit_site

TOWN, OTHER = "15349", "15358"  # Thị trấn Vĩnh Lộc, Xã Vĩnh Tiến


def _png():
    out = io.BytesIO()
    PILImage.new("RGB", (8, 8), (155, 28, 28)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def sites(db):
    made = {}
    for code in (TOWN, OTHER):
        unit = AdministrativeUnit.objects.get(code=code)
        result = ensure_unit_site(unit)
        image = get_image_model()(
            title=f"Ảnh của {unit.display_name}", collection=result.collection
        )
        image.file = ImageFile(io.BytesIO(_png()), name=f"anh-{code}.png")
        image.save()
        document = get_document_model()(
            title=f"Tài liệu của {unit.display_name}", collection=result.collection
        )
        document.file.save(f"tai-lieu-{code}.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        document.save()
        news = result.home.get_children().get(slug="tin-tuc")
        made[code] = {
            "unit": unit,
            "site": result,
            "news": news,
            "image": image,
            "document": document,
        }
    return made


def _member(staff_user_factory, *group_names):
    user = staff_user_factory()
    for name in group_names:
        user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def town_editor(sites, staff_user_factory):
    return _member(staff_user_factory, editors_group_name(sites[TOWN]["unit"]))


def _denied(response):
    # Wagtail answers a page or item outside a user's permissions with 403, or with a redirect to
    # the dashboard and "you do not have permission"; never the page.
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response["Location"].rstrip("/").endswith("/admin")
    )


def test_a_commune_editor_explores_only_their_sites_tree(client, sites, town_editor):
    client.force_login(town_editor)
    response = client.get("/admin/pages/", follow=True)
    own_home, other_home = sites[TOWN]["site"].home, sites[OTHER]["site"].home
    # The explorer opens at the site's root, with the site's sections.
    assert response.redirect_chain[-1][0] == f"/admin/pages/{own_home.pk}/"
    html = response.content.decode()
    assert f"/admin/pages/{sites[TOWN]['news'].pk}/edit/" in html
    assert f"/admin/pages/{sites[OTHER]['news'].pk}/" not in html
    # Another site's tree sends them back to their own.
    response = client.get(f"/admin/pages/{other_home.pk}/")
    assert (response.status_code, response["Location"]) == (302, f"/admin/pages/{own_home.pk}/")
    # Searching the pages finds only the site's own.
    html = client.get("/admin/pages/search/", {"q": "tin"}).content.decode()
    assert f"/admin/pages/{sites[TOWN]['news'].pk}/edit/" in html
    assert f"/admin/pages/{sites[OTHER]['news'].pk}/edit/" not in html


def test_a_commune_editor_edits_their_pages_and_not_another_communes(client, sites, town_editor):
    client.force_login(town_editor)
    own, other = sites[TOWN]["news"], sites[OTHER]["news"]
    assert client.get(f"/admin/pages/{own.pk}/edit/").status_code == 200
    assert _denied(client.get(f"/admin/pages/{other.pk}/edit/"))
    assert _denied(client.get(f"/admin/pages/add/news/newspage/{other.pk}/"))
    assert client.get(f"/admin/pages/add/news/newspage/{own.pk}/").status_code == 200
    # Not the district's pages either.
    district_home = sites[TOWN]["site"].home.get_parent().get_children().first()
    assert _denied(client.get(f"/admin/pages/{district_home.pk}/edit/"))


@pytest.mark.parametrize("kind", ["image", "document"])
def test_a_commune_editor_lists_and_chooses_only_their_collection(client, sites, town_editor, kind):
    client.force_login(town_editor)
    prefix = "/admin/images/" if kind == "image" else "/admin/documents/"
    own, other = sites[TOWN][kind], sites[OTHER][kind]
    for url in (prefix, f"{prefix}chooser/"):
        response = client.get(url)
        html = response.json()["html"] if "chooser" in url else response.content.decode()
        assert own.title in html, url
        assert other.title not in html, url
    edit = f"{prefix}{other.pk}/" if kind == "image" else f"{prefix}edit/{other.pk}/"
    assert _denied(client.get(edit))
    own_edit = f"{prefix}{own.pk}/" if kind == "image" else f"{prefix}edit/{own.pk}/"
    assert client.get(own_edit).status_code == 200


def test_an_editor_granted_two_communes_reaches_both(client, sites, staff_user_factory):
    user = _member(
        staff_user_factory,
        editors_group_name(sites[TOWN]["unit"]),
        editors_group_name(sites[OTHER]["unit"]),
    )
    client.force_login(user)
    for code in (TOWN, OTHER):
        assert client.get(f"/admin/pages/{sites[code]['news'].pk}/edit/").status_code == 200
    html = client.get("/admin/images/").content.decode()
    assert sites[TOWN]["image"].title in html and sites[OTHER]["image"].title in html


def test_the_district_editors_still_reach_every_communes_pages(client, sites, staff_user_factory):
    client.force_login(staff_user_factory(groups=[roles.EDITOR]))
    for code in (TOWN, OTHER):
        assert client.get(f"/admin/pages/{sites[code]['news'].pk}/edit/").status_code == 200
    html = client.get("/admin/images/chooser/").json()["html"]
    assert sites[TOWN]["image"].title in html and sites[OTHER]["image"].title in html


def test_a_communes_page_goes_to_its_own_approvers(sites, town_editor, staff_user_factory):
    from portal.news.models import NewsPage

    news = sites[TOWN]["news"]
    page = news.add_child(
        instance=NewsPage(
            title="Thông báo lịch tiêm chủng",
            slug="lich-tiem",
            summary="Lịch tiêm chủng tại trạm y tế thị trấn.",
            live=False,
        )
    )
    page.save_revision(user=town_editor)
    workflow = page.get_workflow()
    state = workflow.start(page, town_editor)
    task = state.current_task_state.task.specific
    town_approver = _member(staff_user_factory, approvers_group_name(sites[TOWN]["unit"]))
    other_approver = _member(staff_user_factory, approvers_group_name(sites[OTHER]["unit"]))
    assert [name for name, *_ in task.get_actions(page, town_approver)][:1] == ["reject"]
    assert "approve" in {name for name, *_ in task.get_actions(page, town_approver)}
    assert task.get_actions(page, other_approver) == []
    assert task.locked_for_user(page, town_editor)


def test_an_administrator_may_grant_a_communes_groups(sites, staff_user_factory):
    from portal.core.users import Grants

    administrator = staff_user_factory(groups=[roles.ADMINISTRATOR])
    for code in (TOWN, OTHER):
        assert Grants(administrator).holds_group(sites[code]["site"].editors)
        assert Grants(administrator).holds_group(sites[code]["site"].approvers)
    # A commune's editor cannot hand another commune's group to anybody.
    town_editor = _member(staff_user_factory, editors_group_name(sites[TOWN]["unit"]))
    assert not Grants(town_editor).holds_group(sites[OTHER]["site"].editors)


def test_a_commune_editor_chooses_pages_of_their_site_only(client, sites, town_editor):
    client.force_login(town_editor)
    own_home, other_home = sites[TOWN]["site"].home, sites[OTHER]["site"].home

    def listed(url):
        return client.get(url).json()["html"]

    at_root = listed("/admin/choose-page/")
    assert own_home.title in at_root and other_home.title not in at_root
    inside = listed(f"/admin/choose-page/{own_home.pk}/")
    assert f'href="#{sites[TOWN]["news"].pk}"' in inside
    # Another site's branch, asked for directly, lists nothing of it.
    other = listed(f"/admin/choose-page/{other_home.pk}/")
    assert f'href="#{sites[OTHER]["news"].pk}"' not in other


def test_the_district_editors_choose_among_every_sites_pages(client, sites, staff_user_factory):
    client.force_login(staff_user_factory(groups=[roles.EDITOR]))
    at_root = client.get("/admin/choose-page/").json()["html"]
    for code in (TOWN, OTHER):
        assert sites[code]["site"].home.title in at_root
