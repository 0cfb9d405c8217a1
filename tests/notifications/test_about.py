"""Messages about a record: the short message to a citizen's phone is one helper
(``notify_phone``) for dossiers and questions; in the delivery report a dossier's messages follow
the dossiers' own commune rule (the desk of another commune never sees them, whichever site they
were filed on), with ``?about=dossiers`` and "Gửi lại" scoped alike."""

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Site

from portal.core.roles import ONE_STOP_OFFICER, setup_roles
from portal.eservices.models import Dossier, FormVersion
from portal.notifications import outbox
from portal.notifications.kinds import in_scope, scope_notifications
from portal.notifications.models import Notification, Status

pytestmark = pytest.mark.django_db


def test_notify_phone_sends_on_the_chosen_channel_once(notify_env):
    notify_env(NOTIFY_SMS_BACKEND="console", NOTIFY_ZALO_BACKEND="console")
    first = outbox.notify_phone("sms", "0912 345 678", "Ho so da tiep nhan", key="dossier:1:1")
    assert (first.channel, first.to, first.key) == ("sms", "0912345678", "dossier:1:1:sms")
    again = outbox.notify_phone("sms", "0912345678", "Ho so da tiep nhan", key="dossier:1:1")
    assert again.pk == first.pk  # the same event: the same message, sent once
    zns = outbox.notify_phone(
        "zalo", "0912345678", "…", key="dossier:1:2", zns_template="123", zns_data={"code": "X"}
    )
    assert (zns.to, zns.template, zns.template_data) == ("0912345678", "123", {"code": "X"})
    # Nothing for: e-mail chosen, no phone, Zalo with no template, a number that is no phone.
    assert outbox.notify_phone("email", "0912345678", "…", key="k1") is None
    assert outbox.notify_phone("sms", "", "…", key="k2") is None
    assert outbox.notify_phone("zalo", "0912345678", "…", key="k3") is None
    assert outbox.notify_phone("sms", "12", "…", key="k4") is None
    assert Notification.objects.count() == 2


@pytest.fixture
def dossier_messages(served_communes):
    a, b = served_communes[0], served_communes[1]
    version = FormVersion.objects.create(form_key="t", digest="d" * 64, schema={"steps": []})
    site = Site.objects.get(is_default_site=True)
    made = {}
    for commune, code in ((a, "VL-1"), (b, "VL-2")):
        dossier = Dossier.objects.create(
            code=code, service_title="Thủ tục thử", form_version=version, agency_code="VL",
            applicant_name="Người nộp", commune=commune, site=site,
        )  # fmt: skip
        # Both filed on the district's site: the site says nothing about whose they are.
        made[code] = Notification.objects.create(
            channel="email", to=f"{code.lower()}@example.vn", subject=f"Hồ sơ {code}", body="…",
            site=site, about=dossier, status=Status.GIVEN_UP, attempts=6,
        )  # fmt: skip
    other = Notification.objects.create(channel="sms", to="0912345678", body="…", site=site)
    return a, made["VL-1"], made["VL-2"], other


def test_a_dossiers_messages_follow_the_dossiers_commune(
    client, dossier_messages, staff_user_factory
):
    a, mine, theirs, other = dossier_messages
    setup_roles()
    officer = staff_user_factory(communes=[a], groups=[ONE_STOP_OFFICER])
    assert in_scope(officer, mine) and not in_scope(officer, theirs)
    client.force_login(officer)
    html = client.get("/admin/thong-bao/", {"about": "dossiers", "status": "not_delivered"})
    html = html.content.decode()
    assert "Hồ sơ VL-1" in html and "Hồ sơ VL-2" not in html
    assert f'href="/admin/ho-so/{mine.about_id}/"' in html  # linked to the dossier's screen
    assert client.get(f"/admin/thong-bao/{theirs.pk}/").status_code == 404
    assert client.post(f"/admin/thong-bao/{theirs.pk}/gui-lai/").status_code == 404
    assert Notification.objects.filter(pk=theirs.pk, status=Status.GIVEN_UP).exists()
    assert client.get(f"/admin/thong-bao/{mine.pk}/").status_code == 200

    # The desk for the whole district (no commune named) sees both; the filter leaves out the
    # message about no dossier.
    desk = staff_user_factory(groups=[ONE_STOP_OFFICER])
    dossiers = scope_notifications(desk, Notification.objects.all(), only="dossiers")
    assert set(dossiers) == {mine, theirs}
    client.force_login(desk)
    html = client.get("/admin/thong-bao/", {"about": "dossiers"}).content.decode()
    assert "Hồ sơ VL-1" in html and "Hồ sơ VL-2" in html and "***678" not in html


def test_without_the_permission_to_view_dossiers_their_messages_stay_hidden(
    dossier_messages, staff_user_factory
):
    _a, mine, theirs, _other = dossier_messages
    clerk = staff_user_factory(all_communes=True, perms=["notifications.view_notification"])
    assert not scope_notifications(clerk, Notification.objects.all(), only="dossiers").exists()
    dossier_type = ContentType.objects.get_for_model(Dossier)
    visible = scope_notifications(clerk, Notification.objects.all())
    assert not visible.filter(about_type=dossier_type).exists()


def test_the_old_address_of_the_desks_list_leads_to_the_report(client, staff_user_factory):
    client.force_login(staff_user_factory(superuser=True))
    response = client.get("/admin/ho-so/thu-loi/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/thong-bao/?about=dossiers&status=not_delivered"
    assert client.get(response["Location"]).status_code == 200


def test_anonymising_a_dossier_deletes_its_messages_only(dossier_messages):
    from portal.eservices.tasks import anonymise_dossier

    _a, mine, theirs, other = dossier_messages
    queued = outbox.notify("email", "vl-1@example.vn", "…", about=mine.about, key="q")
    Notification.objects.filter(pk=queued.pk).update(status=Status.QUEUED)
    anonymise_dossier(mine.about)
    assert set(Notification.objects.all()) == {theirs, other}
