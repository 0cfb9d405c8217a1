"""A checkpoint's QR, poster texts and verification link name the host of the site of its commune
(``site_for_unit``); a commune without a site of its own keeps the parent site's address."""

import io

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from wagtail.models import Page, Site

from portal.checkpoints import posters
from portal.core.models import PortalSettings
from portal.core.sites import absolute_url
from portal.home.models import HomePage

pytestmark = pytest.mark.django_db

HOST = "xa-a.localhost"


@pytest.fixture
def commune_site(communes, settings):
    settings.BASE_URL = "http://127.0.0.1:8000"
    home = Page.get_first_root_node().add_child(instance=HomePage(title="Xã A", slug="xa-a"))
    site = Site.objects.create(hostname=HOST, port=8000, root_page=home, site_name="Xã A")
    PortalSettings.objects.create(
        site=site,
        unit=communes[0],
        organisation_name="Ủy ban nhân dân Xã A",
        hotlines=[("hotline", {"label": "Trạm y tế Xã A", "number": "0237 3999 001"})],
    )
    return site


def _pdf_text(data):
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_checkin_and_verification_urls_use_the_communes_site(commune_site, checkpoint_factory):
    checkpoint = checkpoint_factory()
    assert checkpoint.checkin_url == f"http://{HOST}:8000/c/{checkpoint.code}"
    assert checkpoint.checkin_url == absolute_url(commune_site, f"/c/{checkpoint.code}")
    assert checkpoint.verification_url == (
        f"http://{HOST}:8000/kiem-tra-ap-phich/?ma={checkpoint.short_code}"
    )


def test_a_commune_without_a_site_keeps_the_parent_sites_address(
    commune_site, communes, checkpoint_factory
):
    checkpoint = checkpoint_factory(commune=communes[1])
    assert checkpoint.checkin_url == f"http://127.0.0.1:8000/c/{checkpoint.code}"


def test_poster_qr_and_texts_name_the_communes_host_and_hotline(commune_site, checkpoint_factory):
    checkpoint = checkpoint_factory()
    image = Image.open(io.BytesIO(posters.poster_png(checkpoint, "A4")))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [
        f"http://{HOST}:8000/c/{checkpoint.code}"
    ]
    text = _pdf_text(posters.poster_pdf(checkpoint, "A4"))
    assert f"{HOST}:8000/quet-ma/" in text
    assert f"{HOST}:8000/kiem-tra-ap-phich/" in text
    assert "127.0.0.1" not in text
    assert "0237 3999 001" in text  # the commune's site's hotline


def test_declaration_form_names_the_communes_host(commune_site, checkpoint_factory):
    checkpoint = checkpoint_factory()
    text = _pdf_text(posters.declaration_form_pdf(checkpoint))
    assert f"{HOST}:8000/quet-ma/" in text and "127.0.0.1" not in text


def test_bulk_posters_use_each_checkpoints_own_site(commune_site, communes, checkpoint_factory):
    import zipfile

    own, other = checkpoint_factory(), checkpoint_factory(commune=communes[1])
    buf = io.BytesIO()
    posters.write_poster_zip([own, other], buf, file_format="png")
    with zipfile.ZipFile(buf) as zf:
        decoded = {
            r.text
            for name in zf.namelist()
            for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(zf.read(name))))
        }
    assert decoded == {
        f"http://{HOST}:8000/c/{own.code}",
        f"http://127.0.0.1:8000/c/{other.code}",
    }


def test_the_checkin_page_gives_the_hotline_of_the_site_it_is_served_on(
    client, commune_site, checkpoint_factory
):
    from django.core.cache import cache

    cache.clear()
    checkpoint = checkpoint_factory()
    on_commune = client.get(checkpoint.checkin_path, HTTP_HOST=f"{HOST}:8000")
    assert on_commune.status_code == 200
    assert "0237 3999 001" in on_commune.content.decode()
    on_parent = client.get(checkpoint.checkin_path, HTTP_HOST="127.0.0.1:8000")
    assert "0237 3999 001" not in on_parent.content.decode()
