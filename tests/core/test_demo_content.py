from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Page, Site

from portal.core import roles
from portal.core.demo import DEMO_ADMIN, DEMO_USERS


def _counts():
    return (Page.objects.count(), get_user_model().objects.count(), Group.objects.count())


def test_demo_content_is_idempotent(demo):
    first = _counts()
    call_command("load_demo_content", verbosity=0)
    assert _counts() == first


def test_demo_home_page_is_vietnamese(demo, client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Ủy ban nhân dân huyện Vĩnh Lộc" in html
    assert "Đường dây nóng" in html  # hotlines from the site setting
    assert "Chuyển đến nội dung chính" in html  # the skip link, translated


def test_demo_site_root_is_home_page(demo):
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class.__name__ == "HomePage"


def test_demo_users_one_per_role(demo, client):
    for username, role in DEMO_USERS:
        user = get_user_model().objects.get(username=username)
        assert user.groups.filter(name=role).exists()
        assert user.check_password(DEMO_ADMIN["password"])
    assert {r for _u, r in DEMO_USERS} == set(roles.ROLE_PERMISSIONS)


def test_demo_has_commune_sites_with_their_own_content(demo, client):
    from portal.checkpoints.models import Checkpoint
    from portal.core.demo import DEMO_UNIT_SITES
    from portal.core.models import PortalSettings
    from portal.core.unit_sites import editors_group_name
    from portal.news.models import DirectivePage, NewsPage

    assert len(DEMO_UNIT_SITES) >= 3
    news_by_site = {}
    for code, username, _name in DEMO_UNIT_SITES:
        site = PortalSettings.objects.get(unit__code=code).site
        assert site.hostname.endswith(".localhost") and not site.is_default_site
        home = site.root_page
        news = set(NewsPage.objects.descendant_of(home).values_list("pk", flat=True))
        assert len(news) >= 2
        news_by_site[code] = news
        assert DirectivePage.objects.descendant_of(home).exists()
        assert Checkpoint.objects.filter(commune__code=code).exists()
        editor = get_user_model().objects.get(username=username)
        assert editor.check_password(DEMO_ADMIN["password"])
        unit = PortalSettings.objects.get(site=site).unit
        assert [g.name for g in editor.groups.all()] == [editors_group_name(unit)]
        response = client.get("/tin-tuc/", HTTP_HOST=f"{site.hostname}:{site.port}")
        assert response.status_code == 200
    all_news = [pk for pks in news_by_site.values() for pk in pks]
    assert len(all_news) == len(set(all_news))  # no site shares a news page with another
    district = Site.objects.get(is_default_site=True).root_page
    assert not NewsPage.objects.descendant_of(district).filter(pk__in=all_news).exists()


def test_demo_prints_the_commune_sites_addresses(db):
    import io

    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    assert "http://thi-tran-vinh-loc.localhost:8000/" in out.getvalue()
    assert "bientap_vinhloc" in out.getvalue()
