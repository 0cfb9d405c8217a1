"""Data-subject requests find what e-services hold; erasure deletes declarations and anonymises
dossiers (kept as administrative records)."""

import datetime

from portal.core.privacy_requests import providers
from portal.eservices.models import Dossier, HealthDeclaration


def _provider(label):
    return next(p for p in providers() if p.label == label)


def test_declarations_are_found_by_phone_or_id_and_deleted(db):
    mine = HealthDeclaration.objects.create(
        full_name="Lê Văn Tâm", id_number="038090001234", date_of_birth=datetime.date(1990, 1, 2),
        sex="male", phone="0912345678", address="Thôn 3, xã Vĩnh Yên",
    )  # fmt: skip
    HealthDeclaration.objects.create(
        full_name="Người khác", date_of_birth=datetime.date(1980, 1, 1), sex="female",
        phone="0987654321", address="Thôn 1",
    )  # fmt: skip
    provider = _provider("Tờ khai y tế")
    assert list(provider.find("0912345678", "")) == [mine]
    assert list(provider.find("", "038090001234")) == [mine]
    assert not provider.find("", "").exists()
    assert provider.erase_records(provider.find("0912345678", "")) == 1
    assert HealthDeclaration.objects.count() == 1


def test_dossiers_are_anonymised_not_deleted(es_demo):
    dossier = Dossier.objects.exclude(applicant_phone="").first()
    assert dossier is not None, "the demo has a dossier with a phone number"
    provider = _provider("Hồ sơ trực tuyến")
    found = provider.find(dossier.applicant_phone, "")
    assert dossier in found
    assert provider.erase_records(found) >= 1
    dossier.refresh_from_db()
    assert dossier.anonymised_at is not None
    assert dossier.applicant_phone == "" and dossier.answers == {}
    assert dossier.applicant_name == "Đã ẩn danh"
