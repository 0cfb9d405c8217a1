"""The delivery report in the admin: Vietnamese, recipients masked in the listing, scoped by site
(district staff see all), filtered by status, audited; a failed message sent again."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import GroupPagePermission, Page, Site

from portal.core.models import AuditEntry
from portal.core.roles import ONE_STOP_OFFICER, setup_roles
from portal.notifications import outbox
from portal.notifications.models import Notification, Status

LIST = "/admin/thong-bao/"


@pytest.fixture
def two_sites(db):
    root = Page.get_first_root_node()
    made = []
    for slug in ("xa-vinh-tien", "xa-vinh-hung"):
        home = root.add_child(instance=Page(title=slug, slug=slug))
        made.append(
            Site.objects.create(hostname=f"{slug}.localhost", root_page=home, site_name=slug)
        )
    return made


@pytest.fixture
def messages(two_sites, notify_env):
    notify_env(NOTIFY_SMS_BACKEND="console")
    ours = outbox.notify(
        "sms", "0912345678", "Tin của xã Vĩnh Tiến", site=two_sites[0], subject="Lịch tiếp dân"
    )
    theirs = outbox.notify(
        "sms", "0987654321", "Tin của xã Vĩnh Hưng", site=two_sites[1], subject="Lịch cắt điện"
    )
    Notification.objects.filter(pk=theirs.pk).update(
        status=Status.GIVEN_UP, attempts=4, last_error="Nhà cung cấp từ chối"
    )
    return ours, theirs


def _officer(staff_user_factory, site=None):
    """A one-stop officer; with ``site``, one who edits that site's pages (a commune)."""
    setup_roles()
    user = staff_user_factory(groups=[ONE_STOP_OFFICER])
    if site is not None:
        group = Group.objects.create(name=f"Biên tập {site.site_name}")
        GroupPagePermission.objects.create(
            group=group,
            page=site.root_page,
            permission=Permission.objects.get(codename="change_page"),
        )
        user.groups.add(group)
    return user


@pytest.mark.django_db
def test_the_district_sees_every_site_with_recipients_masked(client, messages, staff_user_factory):
    client.force_login(staff_user_factory(superuser=True))
    with translation.override("vi"):
        response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lịch tiếp dân" in html and "Lịch cắt điện" in html
    assert "***678" in html and "***321" in html
    assert "0912345678" not in html and "0987654321" not in html
    assert "Thông báo" in html and "Đã bỏ" in html  # the report speaks Vietnamese
    entry = AuditEntry.objects.get(action="notifications.list")
    assert entry.record_count == 2


@pytest.mark.django_db
def test_a_commune_officer_sees_only_their_sites_messages(client, messages, staff_user_factory):
    ours, theirs = messages
    officer = _officer(staff_user_factory, site=ours.site)
    client.force_login(officer)
    html = client.get(LIST).content.decode()
    assert "Lịch tiếp dân" in html and "Lịch cắt điện" not in html
    assert client.get(f"{LIST}{theirs.pk}/").status_code == 404  # out of scope: not found
    response = client.get(f"{LIST}{ours.pk}/")
    assert response.status_code == 200
    assert "0912345678" in response.content.decode()  # the whole address, on its own screen
    assert AuditEntry.objects.filter(action="notifications.view", subject=f"#{ours.pk}").exists()


@pytest.mark.django_db
def test_the_report_filters_by_status(client, messages, staff_user_factory):
    client.force_login(staff_user_factory(superuser=True))
    html = client.get(LIST, {"status": "given_up"}).content.decode()
    assert "Lịch cắt điện" in html and "Lịch tiếp dân" not in html
    html = client.get(LIST, {"channel": "email"}).content.decode()
    assert "Lịch cắt điện" not in html and "Lịch tiếp dân" not in html


@pytest.mark.django_db
def test_editors_without_the_permission_do_not_see_the_report(client, messages, staff_user_factory):
    user = staff_user_factory(perms=["wagtailadmin.access_admin"])
    client.force_login(user)
    response = client.get(LIST)
    assert response.status_code in (302, 403)
    assert "Lịch tiếp dân" not in response.content.decode()


@pytest.mark.django_db
def test_a_given_up_message_is_sent_again_by_the_desk(
    client, messages, staff_user_factory, django_capture_on_commit_callbacks
):
    _ours, theirs = messages
    client.force_login(_officer(staff_user_factory))  # no site pages: cannot reach it
    assert client.post(f"{LIST}{theirs.pk}/gui-lai/").status_code == 404
    client.force_login(staff_user_factory(superuser=True))
    page = client.get(f"{LIST}{theirs.pk}/").content.decode()
    assert "gui-lai" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{LIST}{theirs.pk}/gui-lai/")
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.status == Status.SENT and theirs.attempts == 1
    assert AuditEntry.objects.filter(action="notifications.resend").count() == 1


@pytest.mark.django_db
def test_a_data_subject_request_finds_and_erases_the_messages_to_a_phone(messages):
    from portal.core import privacy_requests

    ours, _theirs = messages
    label = gettext("Notifications sent")
    [result] = [r for r in privacy_requests.find_all("0912345678", "") if r.provider.label == label]
    assert result.count == 1 and result.objects == [ours]
    assert result.provider.erase_records(result.queryset) == 1
    assert not Notification.objects.filter(to="0912345678").exists()
