"""The health declaration: Ministry of Health fields, commitment, personal QR (screen, PNG)."""

import io

import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from PIL import Image

from portal.eservices.health import declaration_from_token
from portal.eservices.models import HealthDeclaration

IDENTITY = {
    "full_name": "Trần Văn Hùng",
    "id_number": "038085004321",
    "date_of_birth_day": "2",
    "date_of_birth_month": "6",
    "date_of_birth_year": "1985",
    "sex": "Nam",
    "nationality": "Việt Nam",
    "phone": "0987654321",
    "email": "",
    "address__province": "38",
    "address__district": "393",
    "address__commune": "15349",
    "address__detail": "Thôn Bồng Thượng",
}


def declare(wizard_for, symptoms=(), exposures=()):
    w = wizard_for(reverse("eservices:health_start"))
    assert w.step == "ca-nhan"
    w.post(IDENTITY)
    assert w.step == "di-chuyen", w.html
    w.post({"travelled": "yes", "travel_details": ""})
    assert "Vui lòng nhập Các nơi đã đến hoặc đi qua." in w.html
    w.post({"travelled": "yes", "travel_details": "Hà Nội, 20/9/2021"})
    w.post({"has_symptoms": "yes" if symptoms else "no", "symptoms": list(symptoms)})
    w.post({"had_exposure": "yes" if exposures else "no", "exposures": list(exposures)})
    w.post({"has_chronic": "yes", "chronic": ["Tiểu đường"]})
    assert w.step == "kiem-tra"
    assert "Tôi cam kết những thông tin trên là đúng sự thật" in w.html
    w.post({})
    assert "Vui lòng đánh dấu vào ô cam đoan" in w.html
    w.post({"consent": "on"})
    return w


@pytest.mark.django_db
def test_declaration_yields_a_personal_qr_that_checkpoints_accept(es_demo, wizard_for, client):
    w = declare(wizard_for, symptoms=["Sốt", "Ho"], exposures=[])
    declaration = HealthDeclaration.objects.get()
    assert declaration.symptoms == ["fever", "cough"]
    assert declaration.chronic_conditions == ["diabetes"]
    assert declaration.commune.code == "15349"
    assert declaration.sex == "male" and declaration.travelled
    assert declaration.has_risk_signs
    assert "Trần Văn Hùng" in w.html
    png_url = next(p for p in w.html.split('"') if p.endswith(".png") and "ma-qr" in p)
    png = client.get(png_url)
    assert png["Content-Type"] == "image/png"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    token = decoded[0].text
    assert "Hùng" not in token and "0987654321" not in token and "038085004321" not in token
    assert declaration_from_token(token) == declaration
    assert Client().get(png_url.replace(token[-6:], "AAAAAA")).status_code == 404


@pytest.mark.django_db
def test_declaration_page_links_the_privacy_notice(es_demo, client):
    response = client.get(reverse("eservices:health_start"), follow=True)
    assert reverse("core:privacy") in response.content.decode()


@pytest.mark.django_db
def test_nul_characters_in_an_answer_are_dropped_not_a_server_error(es_demo, wizard_for):
    """PostgreSQL refuses NUL even in a lookup: the address cascade once failed on one."""
    w = wizard_for(reverse("eservices:health_start"))
    w.post({**IDENTITY, "full_name": "Trần\x00 Văn Hùng", "address__province": "38\x00"})
    assert w.step == "di-chuyen", w.html
    w.post({"travelled": "no"})
    w.post({"has_symptoms": "no"})
    w.post({"had_exposure": "no"})
    w.post({"has_chronic": "no"})
    assert "Trần Văn Hùng" in w.html
