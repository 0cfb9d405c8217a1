"""Attachments are stored and served with the type found in their content, never with the
Content-Type the uploading browser declared."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from portal.eservices.models import Dossier, DossierFile
from tests.eservices.conftest import png_bytes
from tests.eservices.test_filing_flow import APPLICANT, BIRTH, CHILD


def officer(es_demo):
    client = Client()
    client.force_login(es_demo["demo_users"]["motcua"])
    return client


@pytest.mark.django_db
def test_a_png_declared_as_html_is_stored_and_served_as_png(es_demo, wizard_for):
    w = wizard_for(BIRTH)
    w.post(APPLICANT)
    w.post(CHILD)
    w.post(
        {"cap_ban_sao": "no"},
        {"giay_chung_sinh": SimpleUploadedFile("giay.png", png_bytes(), "text/html")},
    )
    w.post({"consent": "on"})
    item = Dossier.objects.get(service__slug="dang-ky-khai-sinh").files.get()
    assert item.content_type == "image/png"
    response = officer(es_demo).get(reverse("eservices_admin:file", kwargs={"pk": item.pk}))
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_stored_record_with_a_lying_type_is_served_with_the_detected_one(es_demo):
    report = Dossier.objects.get(service__slug="tiep-nhan-bao-cao-dinh-ky-cua-ubnd-cap-xa")
    item = report.files.get()
    DossierFile.objects.filter(pk=item.pk).update(content_type="text/html")
    response = officer(es_demo).get(reverse("eservices_admin:file", kwargs={"pk": item.pk}))
    assert response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
