"""Since 1 July 2025 communes sit directly under their province: on such an installation
(PORTAL_UNITS_SOURCE=post2025) an address asks the province and the commune, never a district."""

import json

import pytest

from portal.core.models import AdministrativeUnit
from portal.eservices.models import Draft
from tests.eservices.test_filing_flow import APPLICANT, BIRTH

pytestmark = pytest.mark.django_db

WARD = "99001"  # a ward directly under Thanh Hóa, as in the post-2025 list


@pytest.fixture
def after_reform(es_demo, settings):
    settings.PORTAL_UNITS_SOURCE = "post2025"
    province = AdministrativeUnit.objects.get(code="38")
    AdministrativeUnit.objects.create(
        code=WARD, name="Hạc Thành", name_with_type="Phường Hạc Thành",
        level=AdministrativeUnit.Level.COMMUNE, kind="phuong", parent=province,
    )  # fmt: skip
    return province


def _applicant(**address):
    answers = {k: v for k, v in APPLICANT.items() if not k.startswith("noi_cu_tru__")}
    return {**answers, **address, "noi_cu_tru__detail": "Số 5 Lê Lợi"}


def test_the_address_asks_province_and_commune_only(after_reform, wizard_for):
    w = wizard_for(BIRTH)
    w.post({"noi_cu_tru__province": "38", "_refresh": "1"})
    assert 'name="nguoi-yeu-cau-noi_cu_tru__district"' not in w.html
    assert "Phường Hạc Thành" in w.html  # the province's communes, listed at once
    assert "Huyện Vĩnh Lộc" not in w.html  # no district offered as a commune
    w.post(_applicant(noi_cu_tru__province="38", noi_cu_tru__commune=WARD))
    assert w.step == "tre-em", w.html  # accepted: the next step
    kept = json.dumps(Draft.objects.latest("updated_at").data)
    assert WARD in kept and "noi_cu_tru__district" not in kept


def test_a_commune_of_another_province_is_explained(after_reform, wizard_for):
    w = wizard_for(BIRTH)
    w.post(_applicant(noi_cu_tru__province="01", noi_cu_tru__commune=WARD))
    assert w.step == "nguoi-yeu-cau"
    assert "hãy chọn tỉnh, rồi xã." in w.html
    assert 'value="Số 5 Lê Lợi"' in w.html  # nothing typed is lost
