import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from portal.checkpoints.models import CheckIn, SubLocation

pytestmark = pytest.mark.django_db

FORM = {
    "action": "full",
    "full_name": "Nguyễn Thị Hoa",
    "phone": "+84 912 345 678",
    "has_symptoms": "no",
    "had_contact": "no",
    "travelled": "no",
    "consent": "on",
}


def test_first_visit_checks_in_and_shows_confirmation_with_checkout(client, checkpoint):
    page = client.get(checkpoint.checkin_path)
    assert page.status_code == 200
    html = page.content.decode()
    assert checkpoint.name in html and "<script" not in html and "style=" not in html
    assert 'href="/bao-ve-du-lieu-ca-nhan/"' in html
    response = client.post(checkpoint.checkin_path, FORM)
    assert response.status_code == 302
    stay = CheckIn.objects.get()
    assert stay.phone == "0912345678" and stay.consent_at and stay.checked_out_at is None
    confirmation = client.get(response["Location"])
    text = confirmation.content.decode()
    assert "Đã ghi nhận vào" in text and checkpoint.name in text and "Ghi nhận ra" in text
    client.post(response["Location"])
    stay.refresh_from_db()
    assert stay.checked_out_at is not None
    # Scanning again after checking out offers a new check-in, not the old confirmation.
    assert client.get(checkpoint.checkin_path).status_code == 200


def test_confirmation_works_without_cookies(checkpoint):
    client = Client(enforce_csrf_checks=False)
    response = client.post(checkpoint.checkin_path, FORM)
    client.cookies.clear()
    assert client.get(response["Location"]).status_code == 200
    assert client.post(response["Location"]).status_code == 200
    assert CheckIn.objects.get().checked_out_at is not None


def test_returning_visitor_checks_in_with_one_tap(client, checkpoint_factory):
    first, second = checkpoint_factory(), checkpoint_factory()
    client.post(first.checkin_path, {**FORM, "remember": "on"})
    page = client.get(second.checkin_path)
    html = page.content.decode()
    assert "Tôi khoẻ, ghi nhận vào" in html and "Nguyễn Thị Hoa" in html
    assert "0912345678" not in html and "***678" in html
    response = client.post(second.checkin_path, {"action": "quick"})
    assert response.status_code == 302
    stays = CheckIn.objects.order_by("checked_in_at")
    assert [s.checkpoint for s in stays] == [first, second]
    # Checking in elsewhere closed the stay the visitor forgot to close.
    assert stays[0].checked_out_at is not None and stays[1].checked_out_at is None
    assert stays[1].full_name == "Nguyễn Thị Hoa" and not stays[1].has_risk


def test_visitor_is_not_remembered_without_asking(client, checkpoint):
    client.post(checkpoint.checkin_path, FORM)
    assert not client.cookies.get("ckp_me") or client.cookies["ckp_me"].value == ""
    html = client.get(checkpoint_path_after := checkpoint.checkin_path).content.decode()
    assert "Tôi khoẻ" not in html and checkpoint_path_after


def test_tampered_remember_cookie_is_ignored(client, checkpoint):
    client.cookies["ckp_me"] = '["Ke gian", "0912345678"]:forged'
    html = client.get(checkpoint.checkin_path).content.decode()
    assert "Ke gian" not in html and 'name="full_name"' in html


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"phone": ""}, "Nhập số điện thoại"),
        ({"phone": "12345"}, "số điện thoại Việt Nam"),
        ({"phone": "0123456789"}, "số điện thoại Việt Nam"),
        ({"full_name": ""}, "Nhập họ và tên"),
        ({"full_name": "=cmd|' /C calc'!A0"}, "không được bắt đầu"),
        ({"consent": ""}, "đồng ý"),
        ({"has_symptoms": ""}, "triệu chứng"),
    ],
)
def test_bad_input_gets_a_vietnamese_message_and_keeps_the_rest(
    client, checkpoint, changes, message
):
    data = {**FORM, **changes}
    response = client.post(checkpoint.checkin_path, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "<title>Lỗi: " in html
    assert 'value="Nguyễn Thị Hoa"' in html or changes.get("full_name") is not None
    assert not CheckIn.objects.exists()


def test_risk_answers_are_recorded_and_flagged(client, checkpoint):
    response = client.post(checkpoint.checkin_path, {**FORM, "has_symptoms": "yes"})
    assert CheckIn.objects.get().has_symptoms
    assert "Hãy báo ngay" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("code", ["abc", "x" * 40, "%27%20OR%201=1"])
def test_malformed_codes_get_a_clear_message(client, code):
    response = client.get(f"/c/{code}")
    assert response.status_code == 404
    assert "Mã QR không hợp lệ" in response.content.decode()


def test_unknown_code_gets_a_clear_message(client, db):
    response = client.get("/c/" + "A" * 22)
    assert response.status_code == 404
    assert "Không tìm thấy điểm kiểm dịch" in response.content.decode()


def test_revoked_code_tells_the_visitor_to_find_the_new_poster(client, checkpoint):
    old_path = checkpoint.checkin_path
    checkpoint.reissue_code()
    response = client.get(old_path)
    assert response.status_code == 410
    assert "Áp phích này không còn hiệu lực" in response.content.decode()
    assert client.post(old_path, FORM).status_code == 410
    assert not CheckIn.objects.exists()
    assert client.get(checkpoint.checkin_path).status_code == 200


def test_inactive_checkpoint_refuses_checkins(client, checkpoint):
    checkpoint.is_active = False
    checkpoint.save()
    assert client.post(checkpoint.checkin_path, FORM).status_code == 410
    assert not CheckIn.objects.exists()


def test_short_code_page_leads_to_the_checkin_page(client, checkpoint):
    response = client.post("/quet-ma/", {"code": checkpoint.short_code_display.lower()})
    assert response.status_code == 302 and response["Location"] == checkpoint.checkin_path
    bad = client.post("/quet-ma/", {"code": "O0O"})
    assert bad.status_code == 400 and "6 chữ và số" in bad.content.decode()
    unknown = client.post("/quet-ma/", {"code": "ZZZ-999"})
    assert "Không có điểm kiểm dịch nào có mã ZZZ-999" in unknown.content.decode()


def test_short_code_of_a_withdrawn_poster_is_explained(client, checkpoint):
    old = checkpoint.short_code
    checkpoint.reissue_code()
    response = client.post("/quet-ma/", {"code": old})
    assert "đã bị thu hồi" in response.content.decode()


def test_poster_verification_tells_genuine_withdrawn_and_forged(client, checkpoint):
    genuine = {"code": checkpoint.short_code, "verification": checkpoint.verification_code}
    assert "Áp phích thật" in client.post("/kiem-tra-ap-phich/", genuine).content.decode()
    forged = {"code": checkpoint.short_code, "verification": "AAAAAAAA"}
    assert "Không phải áp phích" in client.post("/kiem-tra-ap-phich/", forged).content.decode()
    checkpoint.reissue_code()
    assert "Đã thu hồi" in client.post("/kiem-tra-ap-phich/", genuine).content.decode()


def test_checkin_burst_is_rate_limited_with_a_vietnamese_message(client, checkpoint, settings):
    settings.RATELIMIT_ENABLE = True
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "checkin": "3/d"}
    from django.core.cache import cache

    cache.clear()
    statuses = [client.post(checkpoint.checkin_path, FORM).status_code for _ in range(5)]
    assert statuses[:3] == [302, 302, 302] and statuses[3:] == [429, 429]
    last = client.post(checkpoint.checkin_path, FORM)
    assert "Quá nhiều" in last.content.decode()
    assert CheckIn.objects.count() == 3


def test_checkin_page_is_small_and_cheap(client, checkpoint, django_assert_max_num_queries):
    client.get(checkpoint.checkin_path)  # warms the hotline cache
    with django_assert_max_num_queries(3):
        page = client.get(checkpoint.checkin_path)
    assert len(page.content) < 12_000


@pytest.mark.django_db(transaction=True)
def test_a_checkin_post_is_one_statement(client, checkpoint, django_assert_max_num_queries):
    """Outside a test's transaction, as in production: the INSERT finds the checkpoint by its
    code itself, and commits on its own."""
    client.get(checkpoint.checkin_path)
    with django_assert_max_num_queries(1) as queries:
        assert client.post(checkpoint.checkin_path, FORM).status_code == 302
    assert "INSERT INTO" in queries.captured_queries[0]["sql"]
    first = CheckIn.objects.get()
    assert first.checkpoint == checkpoint and first.name_folded == "nguyen thi hoa"
    # Checking in again also closes the stay left open, with the new row: one statement on
    # PostgreSQL, one transaction elsewhere (begin, insert, update, commit).
    one = connection.vendor == "postgresql"
    with django_assert_max_num_queries(1 if one else 4) as queries:
        assert client.post(checkpoint.checkin_path, FORM).status_code == 302
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert sql.count("UPDATE") == 1 and sql.count("INSERT") == 1
    assert CheckIn.objects.filter(checked_out_at__isnull=True).count() == 1
    first.refresh_from_db()
    assert first.checked_out_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_checkin_refused_by_a_closed_checkpoint_writes_nothing_and_keeps_the_open_stay(
    client, checkpoint, checkpoint_factory
):
    client.get(checkpoint.checkin_path)
    assert client.post(checkpoint.checkin_path, FORM).status_code == 302
    closed = checkpoint_factory(is_active=False)
    response = client.post(closed.checkin_path, FORM)
    assert response.status_code == 410
    assert "không còn ghi nhận" in response.content.decode()
    stay = CheckIn.objects.get()  # nothing written at the closed checkpoint...
    assert stay.checkpoint == checkpoint and stay.checked_out_at is None  # ...nor closed here
    unknown = client.post("/c/" + "A" * 22, FORM)
    assert unknown.status_code == 404 and CheckIn.objects.count() == 1


def test_a_checkin_post_with_a_sub_location_records_it(client, checkpoint):
    sub = SubLocation.objects.create(checkpoint=checkpoint, name="Quầy thuốc")
    client.get(checkpoint.checkin_path)
    response = client.post(checkpoint.checkin_path, {**FORM, "sub_location": str(sub.pk)})
    assert response.status_code == 302
    assert CheckIn.objects.get().sub_location == sub
    other = client.post(checkpoint.checkin_path, {**FORM, "sub_location": "999999"})
    assert other.status_code == 400 and CheckIn.objects.count() == 1


def test_a_checkin_post_without_the_csrf_token_is_refused(checkpoint):
    client = Client(enforce_csrf_checks=True)
    client.get(checkpoint.checkin_path)
    assert client.post(checkpoint.checkin_path, FORM).status_code == 403
    assert not CheckIn.objects.exists()


def test_open_checkins_are_closed_automatically(checkpoint, stay_factory, settings):
    from portal.checkpoints.tasks import close_open_checkins

    settings.CHECKPOINTS_AUTO_CHECKOUT_HOURS = 4
    now = timezone.now()
    old = stay_factory(checkpoint, now - timezone.timedelta(hours=5), minutes=None)
    recent = stay_factory(checkpoint, now - timezone.timedelta(hours=1), minutes=None)
    assert close_open_checkins() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.closed_automatically
    assert old.checked_out_at == old.checked_in_at + timezone.timedelta(hours=4)
    assert recent.checked_out_at is None


def test_nav_has_the_scan_item():
    from wagtail import hooks

    items = [i for fn in hooks.get_hooks("portal_nav_items") for i in fn(None)]
    assert {"title": "Quét mã QR", "url": "/quet-ma/", "order": 80} in [
        {**i, "title": str(i["title"])} for i in items
    ]


def test_checking_in_leaves_the_form_whole_for_the_next_visitor(client, checkpoint_factory):
    """A post is checked by a form sharing the fields of the class (portal.checkpoints.views):
    after posts without a sub-location, a page with sub-locations still offers them, a bad post
    still gets the full form with its errors, and the fields are still the class's own."""
    from portal.checkpoints.forms import CheckInForm

    fields = dict(CheckInForm.base_fields)
    plain = checkpoint_factory()
    for n in range(3):
        response = client.post(plain.checkin_path, {**FORM, "phone": f"091234567{n}"})
        assert response.status_code == 302
    assert CheckIn.objects.filter(checkpoint=plain).count() == 3
    with_subs = checkpoint_factory()
    SubLocation.objects.create(checkpoint=with_subs, name="Quầy thuốc")
    page = client.get(with_subs.checkin_path)
    assert "Quầy thuốc" in page.content.decode()
    bad = client.post(plain.checkin_path, {**FORM, "phone": "123"})
    assert bad.status_code == 400 and 'name="full_name"' in bad.content.decode()
    assert dict(CheckInForm.base_fields) == fields
