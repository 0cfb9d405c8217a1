"""The personal QR token and retention contract the checkpoints app relies on."""

import datetime

import pytest
from django.utils import timezone

from portal.eservices.health import (
    declaration_from_token,
    personal_qr_token,
    purge_expired_declarations,
)
from portal.eservices.models import HealthDeclaration


def make_declaration(**kwargs):
    values = {
        "full_name": "Nguyễn Văn An",
        "phone": "0912345678",
        "id_number": "038090001234",
        "date_of_birth": datetime.date(1990, 5, 1),
        "sex": "male",
        "address": "Thôn 1",
    }
    values.update(kwargs)
    return HealthDeclaration.objects.create(**values)


@pytest.mark.django_db
def test_token_round_trips_to_the_declaration():
    declaration = make_declaration()
    assert declaration_from_token(personal_qr_token(declaration)) == declaration


@pytest.mark.django_db
def test_token_holds_no_personal_data_in_clear():
    declaration = make_declaration()
    token = personal_qr_token(declaration)
    for secret in ("Nguyễn", "Nguyen", "0912345678", "038090001234", "1990"):
        assert secret not in token
    # Only the random key, a timestamp and the signature.
    assert token.startswith("YT1." + declaration.token_key.hex + ":")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mutate",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: t.replace("YT1.", "YT2."),
        lambda t: "",
        lambda t: "x" * 500,
        lambda t: t.split(":")[0] + ":" + "0" * 10 + ":" + t.split(":")[-1],
    ],
)
def test_tampered_token_is_refused(mutate):
    token = personal_qr_token(make_declaration())
    assert declaration_from_token(mutate(token)) is None


@pytest.mark.django_db
def test_token_of_a_deleted_declaration_is_refused():
    declaration = make_declaration()
    token = personal_qr_token(declaration)
    declaration.delete()
    assert declaration_from_token(token) is None


@pytest.mark.django_db
def test_token_expires_with_the_retention_period(settings, monkeypatch):
    declaration = make_declaration()
    token = personal_qr_token(declaration)
    settings.PERSONAL_DATA_RETENTION_DAYS = 0
    monkeypatch.setattr("time.time", lambda: datetime.datetime.now().timestamp() + 5)
    assert declaration_from_token(token) is None


@pytest.mark.django_db
def test_purge_deletes_only_declarations_before_the_cutoff():
    old = make_declaration(full_name="Cũ")
    HealthDeclaration.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    recent = make_declaration(full_name="Mới")
    cutoff = timezone.now() - datetime.timedelta(days=21)
    assert purge_expired_declarations(cutoff) == 1
    assert list(HealthDeclaration.objects.all()) == [recent]


@pytest.mark.django_db
def test_risk_signs_are_any_symptom_or_exposure():
    assert not make_declaration().has_risk_signs
    assert make_declaration(symptoms=["fever"]).has_risk_signs
    assert make_declaration(exposures=["case"]).has_risk_signs
    assert not make_declaration(chronic_conditions=["diabetes"]).has_risk_signs
