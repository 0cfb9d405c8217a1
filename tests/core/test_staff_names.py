"""Staff are named whole, in Vietnamese order (họ, tên đệm, tên), in the admin and in e-mails:
"Nguyễn Thị Hằng", never "Nguyễn Thị" or "Hằng Nguyễn Thị"."""

import json
import re

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.admin.utils import get_user_display_name
from wagtail.models import Page

from portal.core import roles
from portal.core.demo import DEMO_NAMES
from portal.core.display import staff_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def hang(staff_user_factory):
    user = staff_user_factory(groups=[roles.APPROVER])
    # As the account form asks: "Họ" (family and middle names), "Tên" (given name).
    user.last_name, user.first_name = "Nguyễn Thị", "Hằng"
    user.email = "hang@vinhloc.example"
    user.save()
    return user


def _sidebar_account_name(html):
    props = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    menu = next(
        m for m in json.loads(props.group(1))["modules"]
        if m["_type"] == "wagtail.sidebar.MainMenuModule"
    )  # fmt: skip
    return menu["_args"][2]["name"]


def test_the_rule_puts_the_given_name_last(hang, staff_user_factory):
    assert staff_name(hang) == "Nguyễn Thị Hằng"
    assert hang.get_full_name() == hang.get_short_name() == "Nguyễn Thị Hằng"
    assert get_user_display_name(hang) == "Nguyễn Thị Hằng"
    nameless = staff_user_factory()
    assert staff_name(nameless) == nameless.username


def test_sidebar_account_menu_shows_the_whole_name(client, hang):
    client.force_login(hang)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert _sidebar_account_name(html) == "Nguyễn Thị Hằng"


def test_workflow_e_mail_greets_the_approver_by_the_whole_name(hang, staff_user_factory):
    editor = staff_user_factory(groups=[roles.EDITOR])
    root = Page.get_first_root_node()
    page = root.add_child(instance=Page(title="Thông báo lịch tiêm", slug="lich-tiem", live=False))
    page.save_revision()
    page.get_workflow().start(page, editor)

    [message] = [m for m in mail.outbox if m.to == [hang.email]]
    assert "Xin chào Nguyễn Thị Hằng," in message.body


def test_demo_users_are_named_in_vietnamese_order(demo):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="bientap")
    assert (user.last_name, user.first_name) == DEMO_NAMES["bientap"]
    assert user.get_full_name() == "Nguyễn Thị Hoa"
