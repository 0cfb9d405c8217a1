"""Questions and feedback (hỏi đáp): asking with a code and receipt, looking it up with the phone,
the staff's handling to the end (timed, audited, scoped to communes), publication without the
sender's data, duplicates, spam defences and retention."""

import datetime
import io
import re
import time

import pytest
from django.conf import settings
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image as PILImage
from pypdf import PdfReader

from portal.core.models import AuditEntry
from portal.core.roles import ONE_STOP_OFFICER, setup_roles
from portal.eservices.models import ProcedureArea
from portal.eservices.workdays import add_working_days
from portal.notifications.models import Notification
from portal.participation.questions import handling
from portal.participation.questions.forms import STARTED_SALT
from portal.participation.questions.models import Event, Question, Status
from tests.core.test_sites_editors import OTHER, TOWN, sites  # noqa: F401
from tests.notifications.conftest import esms, notify_env, provider  # noqa: F401

pytestmark = pytest.mark.django_db


def _host(site):
    return f"{site.hostname}:{site.port}" if site.port not in (80, 443) else site.hostname


def _png():
    out = io.BytesIO()
    PILImage.new("RGB", (16, 16), (30, 90, 160)).save(out, "PNG")
    return out.getvalue()


def _started(seconds_ago=60):
    return signing.dumps(int(time.time()) - seconds_ago, salt=STARTED_SALT)


def _answers(**extra):
    data = {
        "kind": "question",
        "title": "Làm giấy khai sinh cho con ở đâu?",
        "content": "Con tôi mới sinh ở bệnh viện huyện, tôi cần làm giấy khai sinh ở đâu ạ?",
        "name": "Trần Thị Bích",
        "phone": "0912 345 678",
        "email": "bich@example.vn",
        "publish_allowed": "on",
        "consent": "on",
        "website": "",
        "started": _started(),
    }
    data.update(extra)
    return data


@pytest.fixture
def town(sites):  # noqa: F811
    return sites[TOWN]


@pytest.fixture
def other(sites):  # noqa: F811
    return sites[OTHER]


def _ask(client, site, **extra):
    client.get("/hoi-dap/gui/", HTTP_HOST=_host(site))
    return client.post("/hoi-dap/gui/", _answers(**extra), HTTP_HOST=_host(site))


def test_a_citizen_asks_gets_a_code_a_receipt_and_an_email(
    town, django_capture_on_commit_callbacks
):
    client = Client()
    site = town["site"].site
    area = ProcedureArea.objects.create(name="Hộ tịch")
    photo = SimpleUploadedFile("ảnh hiện trường.png", _png(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(
            client, site, area=str(area.pk), unit=str(town["unit"].pk), attachments=photo
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.get()
    assert re.fullmatch(r"HD-\d{6}-0001", question.code)
    assert response["Location"] == f"/hoi-dap/da-gui/{question.code}/"
    # Sent on the town's site: its commune is the unit concerned, the phone in its one form.
    assert question.site == site and question.unit == town["unit"]
    assert question.asker_phone == "0912345678" and question.area == area
    assert question.status == Status.NEW
    assert question.due_date == add_working_days(timezone.localdate(), 10)
    assert question.files.get().original_name == "ảnh_hiện_trường.png"
    assert [e.event for e in question.events.all()] == [Event.RECEIVED]

    done = client.get(response["Location"], HTTP_HOST=_host(site))
    assert question.code in done.content.decode()
    assert done["Cache-Control"].startswith("no-store")
    pdf = client.get(f"/hoi-dap/phieu/{question.code}.pdf", HTTP_HOST=_host(site))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "PHIẾU TIẾP NHẬN CÂU HỎI" in text and question.code in text
    assert "Trần Thị Bích" in text and "Hộ tịch" in text
    # Another browser has neither the receipt nor the done page.
    assert (
        Client().get(f"/hoi-dap/phieu/{question.code}.pdf", HTTP_HOST=_host(site)).status_code
        == 404
    )

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["bich@example.vn"]
    assert question.code in mail.outbox[0].subject and "đã tiếp nhận" in mail.outbox[0].subject


def test_showing_the_form_writes_nothing_and_a_post_sent_again_files_one_question(town):
    client = Client()
    site = town["site"].site
    page = client.get("/hoi-dap/gui/", HTTP_HOST=_host(site))
    # Nothing stored for a visitor who only looks at the form (it wrote a session each time).
    assert settings.SESSION_COOKIE_NAME not in page.cookies
    key = re.search(r'name="submission" value="([^"]+)"', page.content.decode()).group(1)
    first = client.post("/hoi-dap/gui/", _answers(submission=key), HTTP_HOST=_host(site))
    # The same form posted again (the back button, a double tap), after the first was filed.
    again = client.post("/hoi-dap/gui/", _answers(submission=key), HTTP_HOST=_host(site))
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"] and Question.objects.count() == 1
    # A key the portal did not sign is not used: it cannot reach somebody else's question.
    other = Client().post(
        "/hoi-dap/gui/", _answers(submission=key[:-1] + "x"), HTTP_HOST=_host(site)
    )
    assert other.status_code == 302 and other["Location"] != first["Location"]
    assert Question.objects.count() == 2


def test_bad_input_is_explained_in_vietnamese_and_nothing_typed_is_lost(town):
    client = Client()
    site = town["site"].site
    response = _ask(
        client,
        site,
        phone="12345",
        consent="",
        title="Tiêu đề vẫn giữ nguyên",
        attachments=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
    )
    body = response.content.decode()
    assert response.status_code == 200 and Question.objects.count() == 0
    assert "Có lỗi" in body or "Có vấn đề" in body
    assert "Số điện thoại phải là số điện thoại Việt Nam" in body
    assert "tệp phải có định dạng JPG, PNG, PDF" in body
    assert "Đồng ý cho cơ quan xử lý dữ liệu" in body
    assert 'value="Tiêu đề vẫn giữ nguyên"' in body
    assert "Con tôi mới sinh ở bệnh viện huyện" in body
    assert "chọn lại" in body  # the files must be chosen again, and the page says so


def test_robots_are_turned_away_without_a_captcha(town):
    site = town["site"].site
    # The field people never see, filled in.
    assert _ask(Client(), site, website="http://spam.example").status_code == 200
    # A form sent back a second after it was shown, or with a forged start.
    assert _ask(Client(), site, started=_started(seconds_ago=0)).status_code == 200
    assert _ask(Client(), site, started="forged").status_code == 200
    assert Question.objects.count() == 0
    # A person who took their time gets through.
    assert _ask(Client(), site).status_code == 302


def test_sending_is_rate_limited_per_address(town, settings):
    settings.RATELIMIT_ENABLE = True
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "question": "2/h"}
    site = town["site"].site
    codes = [_ask(Client(), site, phone=f"091234567{n}").status_code for n in range(3)]
    assert codes == [302, 302, 429]
    assert Question.objects.count() == 2


def _question(site, unit=None, **extra):
    data = {
        "kind": "question",
        "area": None,
        "unit": unit,
        "title": "Cấp lại giấy khai sinh",
        "content": "Tôi bị mất giấy khai sinh bản chính, xin cấp lại ở đâu?",
        "name": "Lê Văn Cường",
        "phone": "0987654321",
        "email": "cuong@example.vn",
        "publish_allowed": True,
        **extra,
    }
    question, _created = handling.submit_question(
        data, [], str(__import__("uuid").uuid4()), "đồng ý", site=site
    )
    return question


def test_lookup_needs_the_code_and_the_phone_and_shows_the_history(town):
    site = town["site"].site
    question = _question(site, town["unit"])
    client = Client()
    wrong = client.post(
        "/hoi-dap/tra-cuu/", {"code": question.code, "phone": "0900000000"}, HTTP_HOST=_host(site)
    )
    assert "Không tìm thấy câu hỏi" in wrong.content.decode()
    assert "Cấp lại giấy khai sinh" not in wrong.content.decode()
    found = client.post(
        "/hoi-dap/tra-cuu/",
        {"code": question.code.lower(), "phone": "+84 987 654 321"},
        HTTP_HOST=_host(site),
    )
    body = found.content.decode()
    assert "Cấp lại giấy khai sinh" in body and "Được tiếp nhận" in body
    assert found["Cache-Control"].startswith("no-store")


def _officer(staff_user_factory, communes=(), all_communes=False):
    setup_roles()
    return staff_user_factory(
        communes=communes, all_communes=all_communes, groups=[ONE_STOP_OFFICER]
    )


def test_staff_handle_a_question_to_the_end_and_the_sender_follows_it(
    town, staff_user_factory, django_capture_on_commit_callbacks
):
    site = town["site"].site
    question = _question(site, town["unit"])
    officer = _officer(staff_user_factory, communes=[town["unit"]])
    staff = Client()
    staff.force_login(officer)
    url = f"/admin/hoi-dap/{question.pk}/"
    page = staff.get(url)
    assert page.status_code == 200
    assert "0987654321" in page.content.decode()  # the handler sees the contact
    assert AuditEntry.objects.filter(action="questions.view", subject=question.code).exists()

    # Ask for more information: the sender reads the request and answers on the look-up page.
    with django_capture_on_commit_callbacks(execute=True):
        asked = staff.post(
            url,
            {
                "form": "action",
                "action": "request_info",
                "note": "Ông cho biết năm sinh và nơi đăng ký khai sinh.",
            },
        )
    assert asked.status_code == 302
    question.refresh_from_db()
    assert question.status == Status.WAITING
    citizen = Client()
    citizen.post(
        "/hoi-dap/tra-cuu/", {"code": question.code, "phone": "0987654321"}, HTTP_HOST=_host(site)
    )
    status = citizen.get(f"/hoi-dap/tra-cuu/?ma={question.code}", HTTP_HOST=_host(site))
    assert "Ông cho biết năm sinh" in status.content.decode()
    given = citizen.post(
        f"/hoi-dap/tra-cuu/{question.code}/bo-sung/",
        {"text": "Sinh năm 1980, đăng ký tại UBND thị trấn Vĩnh Lộc."},
        HTTP_HOST=_host(site),
    )
    assert given.status_code == 302
    question.refresh_from_db()
    assert question.status == Status.NEW and "Sinh năm 1980" in question.content

    # Assign with a due date in working days, then answer.
    staff.post(
        url,
        {
            "form": "action",
            "action": "assign",
            "assignee": officer.pk,
            "unit": town["unit"].pk,
            "due_days": 3,
        },
    )
    question.refresh_from_db()
    assert question.status == Status.ASSIGNED and question.assignee == officer
    assert question.due_date == add_working_days(timezone.localdate(), 3)
    missing = staff.post(url, {"form": "action", "action": "answer", "answer": ""})
    assert "Nhập nội dung trả lời" in missing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            url,
            {
                "form": "action",
                "action": "answer",
                "answered_by": "UBND thị trấn",
                "answer": "Ông đến bộ phận một cửa UBND thị trấn để được cấp bản sao.",
            },
        )
    question.refresh_from_db()
    assert question.status == Status.ANSWERED and question.answered_at is not None
    status = citizen.get(f"/hoi-dap/tra-cuu/?ma={question.code}", HTTP_HOST=_host(site))
    assert "bộ phận một cửa UBND thị trấn" in status.content.decode()
    staff.post(url, {"form": "action", "action": "close", "note": ""})
    question.refresh_from_db()
    assert question.status == Status.CLOSED and question.closed_at is not None

    steps = [e.event for e in question.events.all()]
    assert steps == [
        Event.RECEIVED,
        Event.INFO_REQUESTED,
        Event.INFO_GIVEN,
        Event.ASSIGNED,
        Event.ANSWERED,
        Event.CLOSED,
    ]
    assert all(e.created_at for e in question.events.all())
    handled = AuditEntry.objects.filter(
        action="questions.handle", subject__startswith=question.code
    )
    assert handled.count() == 4
    subjects = [m.subject for m in mail.outbox]
    assert any("cần bổ sung" in s for s in subjects) and any("đã có trả lời" in s for s in subjects)


def test_commune_staff_see_only_their_communes_questions(town, other, staff_user_factory):
    mine = _question(town["site"].site, town["unit"])
    theirs = _question(other["site"].site, other["unit"])
    district = _question(town["site"].site, None)
    officer = _officer(staff_user_factory, communes=[town["unit"]])
    client = Client()
    client.force_login(officer)
    listing = client.get("/admin/hoi-dap/").content.decode()
    assert mine.code in listing and theirs.code not in listing and district.code not in listing
    assert client.get(f"/admin/hoi-dap/{theirs.pk}/").status_code == 404
    assert AuditEntry.objects.filter(action="questions.list").exists()
    desk = _officer(staff_user_factory, all_communes=True)
    client.force_login(desk)
    listing = client.get("/admin/hoi-dap/").content.decode()
    assert all(q.code in listing for q in (mine, theirs, district))


def test_overdue_items_show_on_the_dashboard(town, staff_user_factory):
    question = _question(town["site"].site, town["unit"])
    Question.objects.filter(pk=question.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    officer = _officer(staff_user_factory, communes=[town["unit"]])
    client = Client()
    client.force_login(officer)
    home = client.get("/admin/").content.decode()
    assert "Hỏi đáp, phản ánh" in home and "1 câu hỏi quá hạn" in home and question.code in home
    listing = client.get("/admin/hoi-dap/?overdue=on").content.decode()
    assert question.code in listing


def _answered(site, unit=None, **extra):
    question = _question(site, unit, **extra)
    answer = {"answer": "Trả lời: đến bộ phận một cửa.", "answered_by": "UBND"}
    handling.apply_action(question, handling.ANSWER, answer, _any_user())
    return question


def _any_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get_or_create(username="canbo")[0]


def test_published_answers_never_show_the_sender_and_are_searchable(town, other):
    site = town["site"].site
    question = _answered(
        site, town["unit"], content="Tôi là Lê Văn Cường, số nhà 12, hỏi về hộ tịch."
    )
    hidden = _answered(site, town["unit"], publish_allowed=False, title="Không muốn công khai")
    handling.set_published(
        question,
        True,
        _any_user(),
        "Cấp lại giấy khai sinh",
        "Một công dân hỏi về cấp lại giấy khai sinh.",
    )
    with pytest.raises(ValueError):
        handling.set_published(hidden, True, _any_user())
    client = Client()
    listing = client.get("/hoi-dap/", HTTP_HOST=_host(site)).content.decode()
    assert "Cấp lại giấy khai sinh" in listing and "Không muốn công khai" not in listing
    for text in ("Lê Văn Cường", "0987654321", "cuong@example.vn", "số nhà 12"):
        assert text not in listing
    detail = client.get(f"/hoi-dap/{question.pk}/", HTTP_HOST=_host(site)).content.decode()
    assert "đến bộ phận một cửa" in detail and "Lê Văn Cường" not in detail
    # Searching without diacritics finds it; another word does not.
    assert (
        "Cấp lại giấy"
        in client.get("/hoi-dap/?q=giay+khai+sinh", HTTP_HOST=_host(site)).content.decode()
    )
    assert (
        "Cấp lại giấy"
        not in client.get("/hoi-dap/?q=xay+dung", HTTP_HOST=_host(site)).content.decode()
    )
    # Another commune's site does not list it, nor serve it.
    other_site = other["site"].site
    assert (
        "Cấp lại giấy" not in client.get("/hoi-dap/", HTTP_HOST=_host(other_site)).content.decode()
    )
    assert client.get(f"/hoi-dap/{question.pk}/", HTTP_HOST=_host(other_site)).status_code == 404
    assert client.get(f"/hoi-dap/{hidden.pk}/", HTTP_HOST=_host(site)).status_code == 404


def test_published_answers_are_cached_and_purged_only_when_what_they_show_changes(
    town, settings, django_capture_on_commit_callbacks
):
    from django.core.cache import caches

    settings.PAGE_CACHE_ENABLED = True
    caches["default"].clear()
    site = town["site"].site
    question = _answered(site, town["unit"])
    client = Client()

    def listing(query=""):
        response = client.get(f"/hoi-dap/{query}", HTTP_HOST=_host(site))
        client.cookies.clear()
        return response

    assert listing()["X-Portal-Cache"] == "miss" and listing()["X-Portal-Cache"] == "hit"
    # A citizen's new question is shown nowhere yet: the cached pages stay.
    with django_capture_on_commit_callbacks(execute=True):
        assert _ask(Client(), site).status_code == 302
    assert listing()["X-Portal-Cache"] == "hit"
    # Publishing an answer, and hiding it again, change the list at once.
    with django_capture_on_commit_callbacks(execute=True):
        handling.set_published(question, True, _any_user(), "Cấp lại giấy khai sinh")
    shown = listing()
    assert shown["X-Portal-Cache"] == "miss" and "Cấp lại giấy khai sinh" in shown.content.decode()
    detail = f"/hoi-dap/{question.pk}/"
    client.get(detail, HTTP_HOST=_host(site))
    assert client.get(detail, HTTP_HOST=_host(site))["X-Portal-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        handling.set_published(Question.objects.get(pk=question.pk), False, _any_user())
    assert "Cấp lại giấy khai sinh" not in listing().content.decode()
    assert client.get(detail, HTTP_HOST=_host(site)).status_code == 404
    # A free-text filter makes a new address each time: never stored.
    listing("?q=giay")
    assert "X-Portal-Cache" not in listing("?q=giay")


def test_moderators_publish_edit_and_merge(town, staff_user_factory):
    setup_roles()
    site = town["site"].site
    original = _answered(site, town["unit"])
    duplicate = _question(site, town["unit"], title="Mất giấy khai sinh thì làm sao")
    moderator = staff_user_factory(communes=[town["unit"]], groups=["Lãnh đạo duyệt tin"])
    client = Client()
    client.force_login(moderator)
    url = f"/admin/hoi-dap/{original.pk}/"
    client.post(
        url,
        {
            "form": "publication",
            "published": "on",
            "public_title": "Cấp lại khai sinh",
            "public_content": "Một công dân hỏi cách cấp lại giấy khai sinh.",
        },
    )
    original.refresh_from_db()
    assert original.published and original.public_title == "Cấp lại khai sinh"
    assert AuditEntry.objects.filter(action="questions.publish").exists()
    merged = client.post(
        f"/admin/hoi-dap/{duplicate.pk}/", {"form": "merge", "original": original.code}
    )
    assert merged.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of == original and duplicate.status == Status.CLOSED
    citizen = Client()
    citizen.post(
        "/hoi-dap/tra-cuu/", {"code": duplicate.code, "phone": "0987654321"}, HTTP_HOST=_host(site)
    )
    body = citizen.get(
        f"/hoi-dap/tra-cuu/?ma={duplicate.code}", HTTP_HOST=_host(site)
    ).content.decode()
    assert original.code in body and "đến bộ phận một cửa" in body
    # An editor moderates but does not see the sender's contact.
    editor = staff_user_factory(communes=[town["unit"]], groups=["Biên tập viên"])
    client.force_login(editor)
    page = client.get(url).content.decode()
    assert "0987654321" not in page and "cuong@example.vn" not in page
    client.post(url, {"form": "action", "action": "close"})  # refused: Wagtail sends them home
    original.refresh_from_db()
    assert original.status == Status.ANSWERED


def test_the_senders_data_is_removed_after_the_retention_period(town, settings):
    settings.QUESTIONS_RETENTION_DAYS = 30
    site = town["site"].site
    old = _answered(site, town["unit"])
    handling.set_published(old, True, _any_user(), "Cấp lại khai sinh", "Hỏi về cấp lại khai sinh.")
    handling.apply_action(old, handling.CLOSE, {"note": ""}, _any_user())
    Question.objects.filter(pk=old.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=31)
    )
    recent = _answered(site, town["unit"])
    assert handling.anonymise_closed_questions() == 1
    old.refresh_from_db()
    assert old.asker_phone == "" and old.asker_email == "" and old.asker_name == "Đã ẩn danh"
    assert old.anonymised_at is not None
    # The messages to the sender about it are gone, the other question's stay.
    assert not handling.notifications_of(old).exists()
    assert not Notification.objects.filter(subject__startswith=old.code).exists()
    assert handling.notifications_of(recent).filter(channel="email").exists()
    # The published question and answer stay on the public list.
    assert "Cấp lại khai sinh" in Client().get("/hoi-dap/", HTTP_HOST=_host(site)).content.decode()
    recent.refresh_from_db()
    assert recent.asker_phone == "0987654321"


def test_questions_appear_in_data_subject_requests():
    from portal.core.privacy_requests import providers

    names = [p.label for p in providers()]
    assert "Hỏi đáp, phản ánh" in " ".join(names)


def test_a_sender_who_chose_sms_is_told_by_sms(
    town,
    esms,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    site = town["site"].site
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(Client(), site, notify_by="sms", email="")
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.notify_channel == "sms"
    with django_capture_on_commit_callbacks(execute=True):
        answer = {"answer": "Đến UBND thị trấn."}
        handling.apply_action(question, handling.ANSWER, answer, _any_user())
    texts = [m["text"] for m in esms.delivered]
    assert len(texts) == 2 and all(m["to"] == "84912345678" for m in esms.delivered)
    assert f"Da tiep nhan cau hoi {question.code}" in texts[0]
    assert f"Cau hoi {question.code} da co tra loi" in texts[1]


def test_email_chosen_without_an_address_is_explained(town, esms):  # noqa: F811
    response = _ask(Client(), town["site"].site, notify_by="email", email="")
    assert "Nhập thư điện tử để nhận trả lời qua thư" in response.content.decode()
    assert not Question.objects.exists()
