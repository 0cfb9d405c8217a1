"""Wagtail's action log keeps a record's title after the record is gone (retention, erasure): a
check-in's title therefore names no visitor and no phone."""

import datetime

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from portal.checkpoints.models import CheckIn

pytestmark = pytest.mark.django_db

LATE_EVENING = datetime.datetime(2021, 10, 5, 16, 6, tzinfo=datetime.UTC)


def test_a_check_in_title_names_nobody(checkpoint, stay_factory):
    stay = stay_factory(checkpoint, LATE_EVENING, name="Nguyễn Thị Hằng", phone="0912345678")
    assert str(stay) == f"Lượt ra/vào #{stay.pk}, 05/10/2021 23:06"


def test_deleting_a_check_in_in_the_admin_leaves_no_name_in_the_log(
    client, checkpoint, stay_factory, staff_user_factory
):
    stay = stay_factory(checkpoint, LATE_EVENING, name="Nguyễn Thị Hằng", phone="0912345678")
    client.force_login(staff_user_factory(superuser=True, all_communes=True))
    response = client.post(reverse("checkpoints_checkins:delete", args=[stay.pk]))
    assert response.status_code == 302
    assert not CheckIn.objects.filter(pk=stay.pk).exists()
    labels = list(ModelLogEntry.objects.values_list("label", flat=True))
    assert labels, "the deletion is logged"
    assert not any("Hằng" in label or "0912345678" in label for label in labels)
