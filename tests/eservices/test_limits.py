"""Limits that stop abuse of the public forms and let people through: step posts and uploads per
client address and per session, draft storage caps, early purge of abandoned drafts' files,
"save and continue later" e-mails per address and per session."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.core.storage import private_storage
from portal.eservices.models import Draft
from portal.eservices.tasks import purge_unsaved_draft_files
from portal.notifications.models import Notification
from tests.eservices.conftest import png_bytes
from tests.eservices.test_filing_flow import APPLICANT, BIRTH, CHILD

HEALTH = reverse("eservices:health_start")


@pytest.fixture
def limits(settings):
    settings.RATELIMIT_ENABLE = True
    cache.clear()

    def set_(**rates):
        settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, **rates}

    yield set_
    cache.clear()


def first_step_post(client):
    url = client.get(HEALTH)["Location"]
    client.get(url)  # the form, as a browser shows it before posting (and its CSRF cookie)
    return client.post(url, {"health-current_step": "ca-nhan", "ca-nhan-full_name": ""})


@pytest.mark.django_db
def test_step_posts_from_one_session_are_limited_with_a_vietnamese_page(es_demo, limits):
    limits(form_step_session="5/h")  # an hour: the test never straddles a window
    client = Client()
    statuses = [first_step_post(client).status_code for _ in range(8)]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429] * 3
    assert "Quá nhiều" in first_step_post(client).content.decode()
    assert Client().get(HEALTH).status_code == 302  # someone else is not affected


@pytest.mark.django_db
def test_step_posts_from_one_address_are_limited_across_sessions(es_demo, limits):
    # A client that drops its cookies gets a new session each time: the address limit holds.
    limits(form_step="6/h")  # an hour: the test never straddles a window
    statuses = [first_step_post(Client()).status_code for _ in range(8)]
    assert statuses[:6] == [200] * 6 and statuses[6:] == [429] * 2


def birth_to_files_step(wizard_for):
    w = wizard_for(BIRTH)
    w.post(APPLICANT)
    w.post(CHILD)
    assert w.step == "giay-to"
    return w


def png(name="a.png", size=(40, 30)):
    return SimpleUploadedFile(name, png_bytes(size), "image/png")


def back_to_files(w):
    w.url = w.url.rsplit("/", 2)[0] + "/giay-to/"
    w.response = w.client.get(w.url)
    assert w.step == "giay-to"


def stored_names(draft):
    return [i["name"] for i in draft.data["step_files"]["giay-to"]["giay-to-giay_chung_sinh"]]


@pytest.mark.django_db
def test_uploads_from_one_session_are_limited_and_answers_kept(es_demo, wizard_for, limits):
    limits(upload_session="2/h")
    w = birth_to_files_step(wizard_for)
    w.post({"cap_ban_sao": "no"}, {"giay_chung_sinh": png("a.png")})
    assert w.step == "kiem-tra"
    back_to_files(w)
    w.post({"cap_ban_sao": "no"}, {"giay_chung_sinh": png("b.png")})
    assert w.step == "kiem-tra"
    back_to_files(w)
    w.post({"cap_ban_sao": "yes", "so_ban_sao": "3"}, {"giay_chung_sinh": png("c.png")})
    assert w.step == "giay-to"
    assert "Bạn đã đính kèm nhiều tệp trong thời gian ngắn" in w.html
    assert 'value="3"' in w.html  # what was typed is kept
    assert stored_names(Draft.objects.get()) == ["b.png"]  # the refused file was not stored


@pytest.mark.django_db
def test_draft_files_are_capped_per_session(es_demo, wizard_for, settings):
    settings.ESERVICES_DRAFT_SESSION_MB = 1
    w = birth_to_files_step(wizard_for)
    first = png("a.png")
    w.post({"cap_ban_sao": "no"}, {"giay_chung_sinh": first})
    draft = Draft.objects.get()
    assert draft.file_bytes == first.size
    # The session's drafts now hold nearly the megabyte (other files, other forms).
    Draft.objects.create(form_key="svc0", file_bytes=1024 * 1024 - first.size - 10)
    session = w.client.session
    session["eservices_draft_svc0"] = str(Draft.objects.get(form_key="svc0").pk)
    session.save()
    back_to_files(w)
    w.post({"cap_ban_sao": "no"}, {"giay_chung_sinh": png("c.png", (60, 60))})
    assert w.step == "giay-to"
    assert "mức tối đa cho một người" in w.html
    assert stored_names(Draft.objects.get(pk=draft.pk)) == ["a.png"]
    # Replacing a file by a smaller one frees what it held: accepted.
    w.post({"cap_ban_sao": "no"}, {"giay_chung_sinh": png("d.png", (10, 10))})
    assert w.step == "kiem-tra", w.html


@pytest.mark.django_db
def test_new_uploads_are_refused_when_all_drafts_hold_the_total(es_demo, wizard_for, settings):
    settings.ESERVICES_DRAFT_TOTAL_MB = 1
    Draft.objects.create(form_key="svc0", file_bytes=1024 * 1024)
    w = birth_to_files_step(wizard_for)
    w.post({"cap_ban_sao": "no"}, {"giay_chung_sinh": png()})
    assert w.step == "giay-to"
    assert "Hệ thống tạm thời không nhận thêm tệp" in w.html
    assert not Draft.objects.filter(form_key__startswith="svc", file_bytes__gt=0).exclude(
        form_key="svc0"
    )


@pytest.mark.django_db
def test_files_of_abandoned_drafts_without_a_resume_link_are_purged_after_a_day(
    es_demo, wizard_for
):
    def draft_with_file(save_link):
        w = birth_to_files_step(wizard_for)
        w.post({"cap_ban_sao": "no"}, {"giay_chung_sinh": png()})
        w.post({}, _save="1") if save_link else None
        draft = Draft.objects.order_by("-created_at").first()
        w.client.cookies.clear()
        return draft

    abandoned, kept = draft_with_file(False), draft_with_file(True)
    assert abandoned.pk != kept.pk and abandoned.file_bytes > 0
    assert abandoned.link_saved_at is None and kept.link_saved_at is not None
    yesterday = timezone.now() - datetime.timedelta(hours=25)
    Draft.objects.update(updated_at=yesterday)
    assert purge_unsaved_draft_files() == 1
    abandoned.refresh_from_db()
    kept.refresh_from_db()
    assert abandoned.file_bytes == 0 and abandoned.data["step_files"] == {}
    assert private_storage.listdir(abandoned.file_folder)[1] == []
    assert abandoned.data["step_data"]  # the typed answers stay until the draft expires
    assert kept.file_bytes > 0 and len(private_storage.listdir(kept.file_folder)[1]) == 1


def saved_draft_page(wizard_for):
    w = wizard_for(BIRTH)
    w.post(APPLICANT)
    w.post({"ten_tre": "Lê Văn Bình"}, _save="1")
    assert "Đã lưu biểu mẫu" in w.html
    return w


@pytest.mark.django_db
def test_resume_link_goes_once_to_an_address_and_a_few_times_per_session(
    es_demo, wizard_for, limits, client
):
    mail.outbox.clear()
    w = saved_draft_page(wizard_for)
    pages = [client.post(w.url, {"email": "la@example.com"}).content.decode() for _ in range(5)]
    assert len(mail.outbox) == 1 and Notification.objects.filter(to="la@example.com").count() == 1
    assert "Đường dẫn đang được gửi" in pages[0]
    for page in pages[1:]:
        assert "Đường dẫn vừa được gửi cách đây ít phút nên lần này không gửi lại" in page
    assert Draft.objects.get().email == "la@example.com"  # the draft is saved all the same

    other = Client()  # another person: three different addresses in one session, then no more
    w2 = saved_draft_page(lambda url: type(w)(other, url))
    for n in range(5):
        other.post(w2.url, {"email": f"nguoi{n}@example.com"})
    assert len(mail.outbox) == 1 + 3
