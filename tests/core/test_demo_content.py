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
