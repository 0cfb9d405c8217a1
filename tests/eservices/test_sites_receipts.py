"""A dossier receipt names the organisation of the site whose procedure it was filed under, and its
QR leads to the lookup on that site's host."""

import io

import pytest
import zxingcpp
from pypdf import PdfReader
from wagtail.models import Page, Site

from portal.core.models import PortalSettings
from portal.eservices.models import Dossier, ServiceIndexPage
from portal.eservices.views import receipt_pdf
from portal.home.models import HomePage


def _receipt(dossier):
    pdf = PdfReader(io.BytesIO(receipt_pdf(dossier)))
    text = " ".join(page.extract_text() for page in pdf.pages)
    codes = [
        r.text
        for page in pdf.pages
        for image in page.images
        for r in zxingcpp.read_barcodes(image.image)
    ]
    return text, codes


@pytest.mark.django_db
def test_receipt_names_the_site_of_the_procedure(es_demo, settings):
    settings.BASE_URL = "http://127.0.0.1:8000"
    dossier = Dossier.objects.filter(service__isnull=False).first()
    home = Page.get_first_root_node().add_child(instance=HomePage(title="Xã A", slug="xa-a"))
    site = Site.objects.create(hostname="xa-a.localhost", port=8000, root_page=home)
    PortalSettings.objects.create(site=site, organisation_name="Ủy ban nhân dân Xã A")
    index = home.add_child(instance=ServiceIndexPage(title="Dịch vụ công", slug="dich-vu-cong"))
    dossier.service.move(index, pos="last-child")
    dossier.refresh_from_db()

    text, codes = _receipt(dossier)
    assert "ỦY BAN NHÂN DÂN XÃ A" in text
    assert codes == [f"http://xa-a.localhost:8000/tra-cuu-ho-so/?ma={dossier.code}"]
