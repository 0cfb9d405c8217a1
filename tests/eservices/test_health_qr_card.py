"""The personal QR kept on the phone (only if asked), its printable card, and the explicit
Không/Có answers of the health questions."""

import io

import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from PIL import Image

from portal.checkpoints import remember
from portal.eservices.health import declaration_from_token, valid_until
from portal.eservices.models import HealthDeclaration
from portal.eservices.views import HEALTH_COOKIE

from .test_health_declaration import IDENTITY


def declare(wizard_for, symptoms=None):
    w = wizard_for(reverse("eservices:health_start") + "?moi=1")
    w.post(IDENTITY)
    w.post({"travelled": "no"})
    if symptoms is None:
        w.post({"has_symptoms": "no"})
    else:
        w.post({"has_symptoms": "yes", "symptoms": []})
        assert "Vui lòng chọn Những dấu hiệu đã có." in w.html, w.html
        w.post({"has_symptoms": "yes", "symptoms": symptoms})
    w.post({"had_exposure": "no"})
    w.post({"has_chronic": "no"})
    assert w.step == "kiem-tra", w.html
    w.post({"consent": "on"})
    return w


@pytest.mark.django_db
def test_each_question_needs_an_explicit_answer_and_no_means_none(es_demo, wizard_for):
    w = wizard_for(reverse("eservices:health_start"))
    w.post(IDENTITY)
    w.post({"travelled": "no"})
    w.post({})
    assert w.step == "trieu-chung" and "Vui lòng chọn" in w.html
    w.post({"has_symptoms": "no"})
    w.post({"had_exposure": "no"})
    w.post({"has_chronic": "no"})
    assert w.step == "kiem-tra"
    # The review shows the answers "Không", not an empty "Không khai" list of symptoms.
    assert "Những dấu hiệu đã có" not in w.html and "Những bệnh đang có" not in w.html
    w.post({"consent": "on"})
    declaration = HealthDeclaration.objects.get()
    assert declaration.symptoms == [] and not declaration.has_risk_signs


@pytest.mark.django_db
def test_symptoms_warning_gives_the_sites_hotline(es_demo, wizard_for, client):
    declare(wizard_for, symptoms=["Sốt"])
    assert HealthDeclaration.objects.get().symptoms == ["fever"]
    html = client.get(reverse("eservices:health_qr")).content.decode()
    assert "triệu chứng" in html and 'href="tel:' in html


@pytest.mark.django_db
def test_nothing_is_kept_on_the_phone_unless_asked(es_demo, wizard_for, client):
    declare(wizard_for)
    assert HEALTH_COOKIE not in client.cookies and remember.COOKIE not in client.cookies
    html = client.get(reverse("eservices:health_qr")).content.decode()
    assert "Ghi nhớ trên điện thoại này" in html
    # Not ticked: nothing kept.
    client.post(reverse("eservices:health_remember"), {})
    assert HEALTH_COOKIE not in client.cookies


@pytest.mark.django_db
def test_remembered_phone_reopens_the_qr_and_prefills_check_in(es_demo, wizard_for, client):
    declare(wizard_for)
    declaration = HealthDeclaration.objects.get()
    client.post(reverse("eservices:health_remember"), {"ghi-nho": "1"})
    cookie = client.cookies[HEALTH_COOKIE].value
    assert "Hùng" not in cookie and "0987654321" not in cookie  # a signed token, no data
    # A new session on the same phone (the cookies survive, the session does not).
    phone = Client()
    phone.cookies = client.cookies
    phone.cookies.pop("sessionid", None)
    start = phone.get(reverse("eservices:health_start")).content.decode()
    assert "Mã QR của tôi" in start and "Khai báo lại" in start and "Quên điện thoại này" in start
    qr = phone.get(reverse("eservices:health_qr")).content.decode()
    assert "Trần Văn Hùng" in qr and "***321" in qr and "0987654321" not in qr
    assert valid_until(declaration).astimezone().strftime("%d/%m/%Y") in qr
    request = phone.get(reverse("eservices:health_qr")).wsgi_request
    assert remember.read(request)["full_name"] == "Trần Văn Hùng"
    # Declaring again is still possible: the blank form.
    again = phone.get(reverse("eservices:health_start") + "?moi=1", follow=True).content.decode()
    assert "Quên điện thoại này" not in again and "Họ và tên" in again
    # Forget this phone: both cookies go, the start page is the blank form again.
    phone.post(reverse("eservices:health_forget"))
    assert phone.cookies[HEALTH_COOKIE].value == "" and phone.cookies[remember.COOKIE].value == ""
    start = phone.get(reverse("eservices:health_start"), follow=True).content.decode()
    assert "Quên điện thoại này" not in start


@pytest.mark.django_db
def test_card_png_and_print_page_show_name_dates_and_a_readable_qr(es_demo, wizard_for, client):
    declare(wizard_for)
    declaration = HealthDeclaration.objects.get()
    page = client.get(reverse("eservices:health_card")).content.decode()
    assert "Trần Văn Hùng" in page and "Có giá trị đến" in page
    png_url = next(p for p in page.split('"') if p.endswith(".png") and "/the/" in p)
    response = client.get(png_url)
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    token = zxingcpp.read_barcodes(image)[0].text
    assert declaration_from_token(token) == declaration
    forged = png_url.replace(token[-6:], "AAAAAA")
    assert Client().get(forged).status_code == 404


@pytest.mark.django_db
def test_forged_remember_cookie_is_ignored(es_demo, client):
    client.cookies[HEALTH_COOKIE] = "YT1.forged:abc:def"
    response = client.get(reverse("eservices:health_start"), follow=True)
    assert "Quên điện thoại này" not in response.content.decode()
    assert client.get(reverse("eservices:health_qr")).status_code == 302
