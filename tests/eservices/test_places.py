"""The address lists' data: the units under a province or a district, as the forms list them."""

import pytest

from portal.core.models import AdministrativeUnit
from portal.eservices.places import child_choices


@pytest.mark.django_db
def test_a_provinces_districts_and_a_districts_communes_come_as_the_forms_list_them(client):
    response = client.get("/dia-ban/38/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    districts = response.json()["units"]
    assert ["393", "Huyện Vĩnh Lộc"] in districts
    assert districts == [list(choice) for choice in child_choices("38")]
    communes = client.get("/dia-ban/393/").json()["units"]
    assert ["15349", "Thị trấn Vĩnh Lộc"] in communes
    assert len(communes) == AdministrativeUnit.objects.filter(parent__code="393").count()
    # A commune has nothing under it; an unknown code is not found; only reading is allowed.
    assert client.get("/dia-ban/15349/").json() == {"units": []}
    assert client.get("/dia-ban/99999/").status_code == 404
    assert client.post("/dia-ban/38/").status_code == 405
