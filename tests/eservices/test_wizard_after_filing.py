"""Back after filing: the wizard's later pages lead to the filed dossier, not to an empty check
page with an active send button; the first step still starts a new form."""

import pytest
from django.urls import reverse

from portal.eservices.models import Dossier
from tests.eservices.test_filing_flow import file_birth


def step_url(step):
    return reverse("eservices:apply_step", kwargs={"slug": "dang-ky-khai-sinh", "step": step})


@pytest.mark.django_db
def test_back_after_filing_leads_to_the_dossier(es_demo, wizard_for, client):
    w = file_birth(wizard_for)
    w.post({"consent": "on"})
    dossier = Dossier.objects.order_by("-submitted_at").first()
    done_url = reverse("eservices:dossier", kwargs={"code": dossier.code})
    for step in ("kiem-tra", "giay-to", "tre-em"):
        response = client.get(step_url(step))
        assert response.status_code == 302, step
        assert response["Location"] == done_url
        page = client.get(response["Location"]).content.decode()
        assert "Không khai" not in page
        assert dossier.code in page
    first = client.get(step_url("nguoi-yeu-cau"))
    assert first.status_code == 200  # a new form can still be started
