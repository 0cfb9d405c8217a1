"""Every listing of a scoped viewset of personal data records the rows it actually showed."""

import pytest
from django.utils import timezone

from portal.checkpoints.models import CheckIn, Checkpoint
from portal.core import roles
from portal.core.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = "/admin/checkpoints/luot/"


@pytest.fixture
def officer(served_communes, staff_user_factory):
    mine, theirs = served_communes[0], served_communes[1]
    here = Checkpoint.objects.create(commune=mine, name="Chợ Mình", address="Thôn 1")
    there = Checkpoint.objects.create(commune=theirs, name="Chợ Bên Kia", address="Thôn 2")
    now = timezone.now()
    for n in range(3):
        CheckIn.objects.create(
            checkpoint=here, full_name=f"Lê Văn {n}", phone=f"091200000{n}", checked_in_at=now
        )
    CheckIn.objects.create(
        checkpoint=there, full_name="Phạm Thị Kia", phone="0987654321", checked_in_at=now
    )
    return staff_user_factory(
        communes=[mine],
        groups=[roles.COMMUNE_STAFF],
        perms=[f"checkpoints.{p}_checkin" for p in ("view", "change")],
    )


def test_a_commune_officers_check_in_list_records_the_rows_it_showed(client, officer):
    client.force_login(officer)
    response = client.get(URL)
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="checkpoints.checkins.list")
    # The officer's commune only: three check-ins shown, three counted.
    assert len(response.context["object_list"]) == 3
    assert entry.record_count == 3 and entry.user == officer


def test_a_search_and_the_results_fragment_count_what_they_showed(client, officer):
    client.force_login(officer)
    client.get(URL, {"q": "0912 000 001"})
    client.get(URL + "results/", {"q": "Lê Văn"})
    searched, fragment = AuditEntry.objects.filter(action="checkpoints.checkins.list").order_by(
        "pk"
    )
    assert searched.record_count == 1 and searched.parameters == {"q": "***001"}
    assert fragment.record_count == 3


def test_an_export_records_the_rows_it_wrote(client, officer):
    client.force_login(officer)
    response = client.get(URL, {"export": "csv"})
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action__startswith="checkpoints.checkins.")
    assert entry.action == "checkpoints.checkins.export.csv" and entry.record_count == 3
