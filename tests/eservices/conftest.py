"""Fixtures of the e-services tests: the catalogue demo, a wizard driver, sample files."""

import io
import re

import pytest
from PIL import Image


@pytest.fixture
def es_demo(db):
    """Core, home and e-services demo content (the catalogue, forms, the demo report dossier)."""
    from portal.core import demo as core_demo
    from portal.eservices import demo as es_demo_module
    from portal.home import demo as home_demo

    ctx = {}
    for module in (core_demo, home_demo, es_demo_module):
        module.load(ctx)
    return ctx


def png_bytes(size=(40, 30)):
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


def pdf_bytes(text="Giấy chứng sinh"):
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, text.encode("ascii", "ignore").decode())
    c.save()
    return buf.getvalue()


class Wizard:
    """Drives a wizard with the test client like a browser without JavaScript."""

    def __init__(self, client, start_url):
        self.client = client
        response = client.get(start_url)
        assert response.status_code == 302, response.status_code
        self.url = response["Location"]
        self.response = client.get(self.url)

    @property
    def prefix(self):
        return re.search(r'name="([\w-]+)-current_step"', self.html).group(1)

    @property
    def step(self):
        return re.search(r'name="[\w-]+-current_step" value="([^"]+)"', self.html).group(1)

    @property
    def html(self):
        return self.response.content.decode()

    def post(self, data=None, files=None, follow=True, **extra):
        payload = {f"{self.prefix}-current_step": self.step}
        for key, value in (data or {}).items():
            payload[f"{self.step}-{key}" if not key.startswith(("_", "wizard_")) else key] = value
        for key, value in (files or {}).items():
            payload[f"{self.step}-{key}"] = value
        payload.update(extra)
        self.response = self.client.post(self.url, payload, follow=follow)
        if self.response.redirect_chain:
            self.url = self.response.redirect_chain[-1][0]
        return self.response


@pytest.fixture
def wizard_for(client):
    return lambda url: Wizard(client, url)


@pytest.fixture(autouse=True)
def _on_commit_runs_at_once(request, monkeypatch):
    """Tests run inside a transaction that never commits: run on_commit callbacks immediately."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        return
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )
