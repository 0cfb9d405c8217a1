"""Alerts per site: subscribing by e-mail (a link), SMS (a one-time code) and Zalo (a code sent to
the Official Account, signed events), unsubscribing in one step, and an alert published on one
commune's site reaching that commune's confirmed subscribers once, with its delivery report."""

import hashlib
import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from django.utils import timezone

from portal.core.roles import setup_roles
from portal.core.unit_sites import ensure_child
from portal.notifications.alerts.models import AlertIndexPage, AlertPage, Reach, Subscription
from portal.notifications.alerts.tasks import purge_unconfirmed
from portal.notifications.models import Notification
from tests.core.test_sites_editors import OTHER, TOWN, sites  # noqa: F401

pytestmark = pytest.mark.django_db


def _host(site):
    return f"{site.hostname}:{site.port}" if site.port not in (80, 443) else site.hostname


@pytest.fixture
def town(sites):  # noqa: F811
    return sites[TOWN]


@pytest.fixture
def other(sites):  # noqa: F811
    return sites[OTHER]


def _subscribe(client, site, **data):
    return client.post("/nhan-tin/", {"consent": "on", **data}, HTTP_HOST=_host(site))


def test_an_email_subscription_is_confirmed_by_a_link_and_stopped_in_one_step(
    town, django_capture_on_commit_callbacks
):
    site = town["site"].site
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = _subscribe(client, site, channel="email", email="dan@example.vn")
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert (subscription.site, subscription.address, subscription.is_active) == (
        site, "dan@example.vn", False)  # fmt: skip
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dan@example.vn"]
    link = re.search(r"https?://\S+/nhan-tin/xac-nhan/\S+/", mail.outbox[0].body).group(0)
    path = link.split(_host(site), 1)[1]
    # Following the link (a mail scanner does) confirms nothing; the button does.
    assert "Xác nhận" in client.get(path, HTTP_HOST=_host(site)).content.decode()
    subscription.refresh_from_db()
    assert not subscription.is_active
    client.post(path, HTTP_HOST=_host(site))
    subscription.refresh_from_db()
    assert subscription.is_active

    unsubscribe = f"/nhan-tin/huy/{subscription.token}/"
    assert Client().get(unsubscribe, HTTP_HOST=_host(site)).status_code == 200
    assert Subscription.objects.exists()  # a GET changes nothing
    done = Client().post(unsubscribe, HTTP_HOST=_host(site))
    assert "địa chỉ của ông/bà đã được xóa" in done.content.decode()
    assert not Subscription.objects.exists()


def test_an_sms_subscription_needs_the_code_sent_by_sms(town, notify_env):
    notify_env(NOTIFY_SMS_BACKEND="console")
    site = town["site"].site
    client = Client()
    response = _subscribe(client, site, channel="sms", phone="0912 345 678")
    subscription = Subscription.objects.get()
    assert subscription.address == "0912345678"
    assert response["Location"] == f"/nhan-tin/ma/{subscription.token}/"
    sms = Notification.objects.get(channel="sms")
    assert sms.to == "0912345678"
    code = re.search(r"\b(\d{6})\b", sms.body).group(1)
    assert code not in subscription.code_hash  # kept only as a keyed hash
    wrong = client.post(response["Location"], {"code": "000000" if code != "000000" else "111111"},
                        HTTP_HOST=_host(site))  # fmt: skip
    assert "Mã chưa đúng" in wrong.content.decode()
    right = client.post(response["Location"], {"code": code}, HTTP_HOST=_host(site))
    assert "sẽ nhận được thông báo" in right.content.decode()
    subscription.refresh_from_db()
    assert subscription.is_active and subscription.code_hash == ""


def test_a_code_is_refused_after_five_wrong_tries(town, notify_env):
    notify_env(NOTIFY_SMS_BACKEND="console")
    site = town["site"].site
    client = Client()
    url = _subscribe(client, site, channel="sms", phone="0912345678")["Location"]
    code = re.search(r"\b(\d{6})\b", Notification.objects.get().body).group(1)
    other = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        client.post(url, {"code": other}, HTTP_HOST=_host(site))
    late = client.post(url, {"code": code}, HTTP_HOST=_host(site))
    assert "không dùng được nữa" in late.content.decode()
    assert not Subscription.objects.get().is_active


def test_only_channels_the_installation_can_send_on_are_offered(town, notify_env, settings):
    site = town["site"].site
    page = Client().get("/nhan-tin/", HTTP_HOST=_host(site)).content.decode()
    assert 'value="email"' in page and 'value="sms"' not in page and 'value="zalo"' not in page
    refused = _subscribe(Client(), site, channel="sms", phone="0912345678")
    assert refused.status_code == 200 and not Subscription.objects.exists()
    notify_env(NOTIFY_SMS_BACKEND="console")
    assert 'value="sms"' in Client().get("/nhan-tin/", HTTP_HOST=_host(site)).content.decode()


def _alert(parent_site, reach=Reach.SITE, communes=(), title="Mất điện chiều nay"):
    home = parent_site.root_page.specific
    index, _created = ensure_child(home, AlertIndexPage, "thong-bao-khan", title="Thông báo khẩn")
    alert = AlertPage(title=title, message="Mất điện từ 14 giờ đến 17 giờ để sửa đường dây.",
                      reach=reach)  # fmt: skip
    index.add_child(instance=alert)
    alert.communes.set(communes)
    return alert


def _subscriber(site, channel, address, confirmed=True):
    now = timezone.now()
    return Subscription.objects.create(
        site=site, channel=channel, address=address, consent_at=now, consent_text="đồng ý",
        confirmed_at=now if confirmed else None,
    )  # fmt: skip


def test_an_alert_reaches_its_communes_confirmed_subscribers_once(
    town, other, notify_env, django_capture_on_commit_callbacks
):
    notify_env(NOTIFY_SMS_BACKEND="console")
    site, other_site = town["site"].site, other["site"].site
    mine = [_subscriber(site, "email", "a@example.vn"), _subscriber(site, "sms", "0912345678")]
    _subscriber(site, "email", "unconfirmed@example.vn", confirmed=False)
    _subscriber(other_site, "email", "other@example.vn")
    alert = _alert(site)
    with django_capture_on_commit_callbacks(execute=True):
        alert.save_revision().publish()
    alert.refresh_from_db()
    assert alert.sent_at is not None and alert.queued_at is not None
    sent = Notification.objects.filter(about_id=str(alert.pk))
    assert sorted(n.to for n in sent) == ["0912345678", "a@example.vn"]
    assert {n.status for n in sent} == {"sent"}
    sms = sent.get(channel="sms")
    # The SMS goes without diacritics, like every SMS; the e-mail keeps them.
    assert "Mat dien tu 14 gio" in sms.body and f"/nhan-tin/huy/{mine[1].token}/" in sms.body
    assert [m.to for m in mail.outbox] == [["a@example.vn"]]
    assert mail.outbox[0].subject == "Mất điện chiều nay"

    # Published again (a correction): nothing is sent twice.
    with django_capture_on_commit_callbacks(execute=True):
        alert.save_revision().publish()
    assert Notification.objects.filter(about_id=str(alert.pk)).count() == 2
    from portal.notifications.alerts.sending import fan_out

    fan_out(alert.pk)  # the periodic task running it again
    assert Notification.objects.filter(about_id=str(alert.pk)).count() == 2


def test_the_parent_site_reaches_every_commune_or_the_chosen_ones(
    town, other, django_capture_on_commit_callbacks
):
    from wagtail.models import Site

    parent = Site.objects.get(is_default_site=True)
    for site, address in ((parent, "p@example.vn"), (town["site"].site, "t@example.vn"),
                          (other["site"].site, "o@example.vn")):  # fmt: skip
        _subscriber(site, "email", address)
    everyone = _alert(parent, Reach.CHILDREN, title="Bão số 3")
    with django_capture_on_commit_callbacks(execute=True):
        everyone.save_revision().publish()
    reached = set(
        Notification.objects.filter(about_id=str(everyone.pk)).values_list("to", flat=True)
    )
    assert reached == {"p@example.vn", "t@example.vn", "o@example.vn"}
    chosen = _alert(parent, Reach.CHOSEN, [other["site"].site], title="Lũ sông Mã")
    with django_capture_on_commit_callbacks(execute=True):
        chosen.save_revision().publish()
    reached = set(Notification.objects.filter(about_id=str(chosen.pk)).values_list("to", flat=True))
    assert reached == {"p@example.vn", "o@example.vn"}


def test_editors_see_the_delivery_report_of_their_sites_alerts(
    town, staff_user_factory, django_capture_on_commit_callbacks
):
    from portal.core.unit_sites import editors_group_name

    setup_roles()
    site = town["site"].site
    _subscriber(site, "email", "a@example.vn")
    alert = _alert(site)
    with django_capture_on_commit_callbacks(execute=True):
        alert.save_revision().publish()
    editor = staff_user_factory(communes=[town["unit"]])
    from django.contrib.auth.models import Group

    editor.groups.add(Group.objects.get(name=editors_group_name(town["unit"])))
    client = Client()
    client.force_login(editor)
    report = client.get(f"/admin/canh-bao/{alert.pk}/").content.decode()
    assert "Báo cáo gửi tin" in report and "a@example.vn" not in report
    assert re.search(r"Thư điện tử</th><td>1</td><td>0</td><td>0</td><td>1</td>", report)
    edit = client.get(f"/admin/pages/{alert.pk}/edit/").content.decode()
    assert f"/admin/canh-bao/{alert.pk}/" in edit
    outsider = staff_user_factory()
    client.force_login(outsider)
    assert client.get(f"/admin/canh-bao/{alert.pk}/").status_code in (302, 403)


def _signed(body: dict, secret="oa-secret", app_id="app-1"):
    body = {"app_id": app_id, "timestamp": "1733300000000", **body}
    raw = json.dumps(body)
    mac = hashlib.sha256(f"{app_id}{raw}{body['timestamp']}{secret}".encode()).hexdigest()
    return raw, {"HTTP_X_ZEVENT_SIGNATURE": f"mac={mac}"}


def test_a_zalo_subscription_is_linked_by_a_code_sent_to_the_official_account(
    town, notify_env, settings
):
    notify_env(NOTIFY_ZALO_BACKEND="console", NOTIFY_ZALO_APP_ID="app-1")
    settings.ALERTS_ZALO_OA_ID = "4318234567890"
    settings.ALERTS_ZALO_OA_SECRET = "oa-secret"
    site = town["site"].site
    client = Client()
    page = _subscribe(client, site, channel="zalo")
    instructions = client.get(page["Location"], HTTP_HOST=_host(site)).content.decode()
    assert "https://zalo.me/4318234567890" in instructions
    code = re.search(r"DK (\d{6})", instructions).group(1)
    event = {"event_name": "user_send_text", "sender": {"id": "8800001"},
             "message": {"text": f"dk {code}"}}  # fmt: skip
    raw, headers = _signed(event, secret="wrong")
    hook = "/nhan-tin/zalo/webhook/"
    assert client.post(hook, raw, content_type="application/json", **headers).status_code == 403
    assert not Subscription.objects.get().is_active
    raw, headers = _signed(event)
    assert client.post(hook, raw, content_type="application/json", **headers).status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.is_active and subscription.address == "8800001"
    raw, headers = _signed({"event_name": "user_send_text", "sender": {"id": "8800001"},
                            "message": {"text": "HUY"}})  # fmt: skip
    client.post(hook, raw, content_type="application/json", **headers)
    assert not Subscription.objects.exists()


def test_subscribing_is_rate_limited_and_unconfirmed_addresses_do_not_stay(town, settings):
    settings.RATELIMIT_ENABLE = True
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "subscribe": "2/h"}
    site = town["site"].site
    codes = [_subscribe(Client(), site, channel="email", email=f"x{n}@example.vn").status_code
             for n in range(3)]  # fmt: skip
    assert codes == [302, 302, 429]
    Subscription.objects.update(created_at=timezone.now() - timezone.timedelta(days=3))
    assert purge_unconfirmed() == 2 and not Subscription.objects.exists()


def test_subscriptions_appear_in_data_subject_requests(town):
    from portal.core.privacy_requests import providers

    _subscriber(town["site"].site, "sms", "0912345678")
    found = [p for p in providers() if p.label == "Đăng ký nhận thông báo"]
    assert found and found[0].find("0912345678", "").count() == 1
    assert ContentType.objects.get_for_model(AlertPage)
