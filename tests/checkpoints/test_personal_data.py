"""Data-subject requests find a person's check-ins by phone or ID number and erase them."""

from django.utils import timezone

from portal.checkpoints.models import CheckIn
from portal.core.privacy_requests import providers


def test_checkins_are_found_and_erased(checkpoint, stay_factory):
    now = timezone.now()
    mine = stay_factory(checkpoint, now, phone="0912345678", id_number="038090001234")
    other = stay_factory(checkpoint, now, phone="0987654321", name="Trần Thị B")
    provider = next(p for p in providers() if p.label == "Lượt ra/vào")
    assert list(provider.find("0912345678", "")) == [mine]
    assert list(provider.find("", "038090001234")) == [mine]
    assert not provider.find("", "").exists()
    assert provider.erase_records(provider.find("0912345678", "")) == 1
    assert list(CheckIn.objects.all()) == [other]
