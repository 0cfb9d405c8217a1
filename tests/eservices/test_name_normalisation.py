"""Names and addresses typed on a phone that sends decomposed letters (NFD) are stored in the usual
form (NFC, no invisible characters), so staff find them by the usual spelling (portal.core.text)."""

import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.core import roles
from portal.eservices.forms import StepForm
from portal.eservices.health_form import HEALTH_SCHEMA
from portal.eservices.models import Dossier, HealthDeclaration
from tests.eservices.conftest import png_bytes
from tests.eservices.test_filing_flow import APPLICANT, BIRTH, CHILD
from tests.eservices.test_health_declaration import IDENTITY

pytestmark = pytest.mark.django_db

NAME = "Nguyễn Thị Hằng"
TYPED = (
    "\u202e"
    + unicodedata.normalize("NFD", "Nguyễn Thị")
    + "\u200b "
    + unicodedata.normalize("NFD", "Hằng")
)


def test_a_health_declaration_with_a_decomposed_name_is_stored_clean(es_demo, wizard_for):
    w = wizard_for(reverse("eservices:health_start"))
    detail = unicodedata.normalize("NFD", "Thôn Bồng Thượng")
    w.post({**IDENTITY, "full_name": TYPED, "address__detail": detail})
    assert w.step == "di-chuyen", w.html
    w.post({"travelled": "no"})
    w.post({"has_symptoms": "no"})
    w.post({"had_exposure": "no"})
    w.post({"has_chronic": "no"})
    w.post({"consent": "on"})
    declaration = HealthDeclaration.objects.get()
    assert declaration.full_name == NAME
    assert declaration.address.startswith("Thôn Bồng Thượng")
    assert HealthDeclaration.objects.filter(full_name__contains="Thị Hằng").exists()


def test_a_dossier_applicant_is_found_by_the_usual_spelling(
    es_demo, wizard_for, client, staff_user_factory
):
    w = wizard_for(BIRTH)
    w.post({**APPLICANT, "ho_ten": TYPED})
    w.post(CHILD)
    w.post(
        {"cap_ban_sao": "no"},
        {"giay_chung_sinh": SimpleUploadedFile("giay.png", png_bytes(), "image/png")},
    )
    assert w.step == "kiem-tra", w.html
    w.post({"consent": "on"})
    dossier = Dossier.objects.get(service__slug="dang-ky-khai-sinh")
    assert dossier.applicant_name == NAME

    client.force_login(staff_user_factory(all_communes=True, groups=[roles.ONE_STOP_OFFICER]))
    for query in (NAME, unicodedata.normalize("NFD", NAME)):
        html = client.get(reverse("eservices_admin:list"), {"q": query}).content.decode()
        assert dossier.code in html, query


def test_the_name_field_of_a_step_is_cleaned_without_a_request(es_demo):
    # Forms used outside a request (a test, a command) follow the same rule for names.
    step = HEALTH_SCHEMA["steps"][0]
    form = StepForm(data={**IDENTITY, "full_name": TYPED}, step=step)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["full_name"] == NAME
