"""Every hint and error a field points at (aria-describedby) exists on the page: wizard steps,
the check page and the check-in page, with and without errors."""

import re

import pytest

from tests.checkpoints.conftest import checkpoint, checkpoint_factory, communes  # noqa: F401
from tests.eservices.test_filing_flow import APPLICANT, BIRTH, file_birth

ID = re.compile(r'\sid="([^"]+)"')
DESCRIBED = re.compile(r'aria-describedby="([^"]*)"')


def assert_descriptions_resolve(html):
    ids = set(ID.findall(html))
    described = DESCRIBED.findall(html)
    for value in described:
        refs = value.split()
        assert refs, "empty aria-describedby"
        missing = [ref for ref in refs if ref not in ids]
        assert not missing, f"aria-describedby points at missing ids {missing}"
    return described


@pytest.mark.django_db
def test_wizard_steps_hints_and_errors_resolve(es_demo, wizard_for):
    w = wizard_for(BIRTH)
    assert "_helptext" in " ".join(assert_descriptions_resolve(w.html))
    w.post(
        {
            **APPLICANT,
            "ho_ten": "",
            "dien_thoai": "12345",
            **{"ngay_sinh_day": "31", "ngay_sinh_month": "02", "ngay_sinh_year": "1990"},
        }
    )
    described = " ".join(assert_descriptions_resolve(w.html))
    assert "id_nguoi-yeu-cau-ho_ten_error" in described
    assert 'id="id_nguoi-yeu-cau-ho_ten_error"' in w.html
    assert re.search(r'class="error-summary"[^>]*autofocus', w.html)
    w.post({})  # every required field of the step missing, address parts included
    assert_descriptions_resolve(w.html)
    w.post(APPLICANT)
    assert_descriptions_resolve(w.html)
    w.post({})
    assert_descriptions_resolve(w.html)


@pytest.mark.django_db
def test_review_page_consent_error_resolves(es_demo, wizard_for):
    w = file_birth(wizard_for)
    assert_descriptions_resolve(w.html)
    w.post({})  # no consent ticked
    described = " ".join(assert_descriptions_resolve(w.html))
    assert "_error" in described


@pytest.mark.django_db
def test_checkin_page_hints_and_errors_resolve(checkpoint, client):  # noqa: F811
    assert_descriptions_resolve(client.get(checkpoint.checkin_path).content.decode())
    html = client.post(checkpoint.checkin_path, {"action": "full"}).content.decode()
    described = " ".join(assert_descriptions_resolve(html))
    assert "id_full_name_error" in described and "id_consent_error" in described
    assert re.search(r'class="ck-errors"[^>]*autofocus', html)
