"""Names from a phone that sends decomposed letters (NFD) and invisible characters are stored in the
usual form, so an officer typing the usual spelling finds the person (portal.core.text)."""

import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.checkpoints.forms import PaperRowForm
from portal.checkpoints.models import CheckIn, Checkpoint
from portal.core import roles

pytestmark = pytest.mark.django_db

NAME = "Nguyễn Thị Hằng"
# Decomposed, with a zero-width space inside and a right-to-left override in front (copied from a
# chat message, it would show the rest of the name backwards).
TYPED = (
    "\u202e"
    + unicodedata.normalize("NFD", "Nguyễn Thị")
    + "\u200b "
    + unicodedata.normalize("NFD", "Hằng")
)

FORM = {
    "action": "full",
    "phone": "0912345678",
    "has_symptoms": "no",
    "had_contact": "no",
    "travelled": "no",
    "consent": "on",
}


def test_a_decomposed_name_with_invisible_characters_is_stored_clean_and_found(
    client, checkpoint, staff_user_factory
):
    assert TYPED != NAME and unicodedata.normalize("NFC", TYPED) != NAME
    assert client.post(checkpoint.checkin_path, {**FORM, "full_name": TYPED}).status_code == 302
    assert CheckIn.objects.get().full_name == NAME

    officer = staff_user_factory(communes=[checkpoint.commune], groups=[roles.COMMUNE_STAFF])
    client.force_login(officer)
    for query in (NAME, unicodedata.normalize("NFD", NAME), "Hằng"):
        html = client.get("/admin/checkpoints/luot/", {"q": query}).content.decode()
        assert NAME in html, query
    assert NAME not in client.get("/admin/checkpoints/luot/", {"q": "Hoa"}).content.decode()


def test_the_paper_entry_form_cleans_names_without_a_request():
    form = PaperRowForm(data={"full_name": TYPED, "time_in": "08:30", "phone": "0912345678"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["full_name"] == NAME


def test_imported_checkpoints_are_stored_in_nfc(client, communes, staff_user_factory):
    mine = communes[0]
    client.force_login(staff_user_factory(communes=[mine], groups=[roles.COMMUNE_STAFF]))
    # Windows-1258 (Excel's "CSV" on Vietnamese Windows) has no "ợ" or "ẫ": it stores the base
    # letter and a combining tone mark, which decode to NFD.
    rows = [
        "ten,loai,ma_xa,dia_chi,nguoi_phu_trach",
        f"Chơ\u0323 Bô\u0300ng,chơ\u0323,{mine.code},Thôn Bô\u0300ng Thươ\u0323ng,Lê Văn Dâ\u0303n",
    ]
    content = "\n".join(rows).encode("cp1258")
    assert b"\xf2" in content  # the tone mark as its own byte
    client.post("/admin/checkpoints/import/", {"file": SimpleUploadedFile("diem.csv", content)})
    checkpoint = Checkpoint.objects.get(commune=mine, name="Chợ Bồng")
    assert checkpoint.address == "Thôn Bồng Thượng"
    assert checkpoint.responsible_name == "Lê Văn Dẫn"


def test_a_check_in_entered_in_the_admin_stores_the_name_and_numbers_clean(
    client, checkpoint, staff_user_factory
):
    from django.utils import timezone

    officer = staff_user_factory(communes=[checkpoint.commune], groups=[roles.COMMUNE_STAFF])
    client.force_login(officer)
    start = timezone.localtime() - timezone.timedelta(hours=2)
    data = {
        "checkpoint": checkpoint.pk,
        "full_name": "=HYPERLINK(1)",
        "phone": "+84 912 345 678",
        "id_number": "099195001234",
        "checked_in_at": start.strftime("%Y-%m-%d %H:%M"),
        "checked_out_at": "",
        "has_symptoms": "",
        "had_contact": "",
        "travelled": "",
        "paper_row": "",
    }
    url = "/admin/checkpoints/luot/new/"
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert set(refused.context["form"].errors) >= {"full_name", "id_number"}
    assert not CheckIn.objects.exists()

    response = client.post(url, {**data, "full_name": TYPED, "id_number": "038 090 001 234"})
    assert response.status_code == 302, response.context["form"].errors
    stay = CheckIn.objects.get()
    assert (stay.full_name, stay.phone, stay.id_number) == (NAME, "0912345678", "038090001234")


def test_staff_find_a_visitor_typing_without_diacritics_or_with_spaces_in_numbers(
    client, checkpoint, stay_factory, staff_user_factory
):
    from django.utils import timezone

    now = timezone.now()
    stay_factory(checkpoint, now, name=NAME, phone="0912345678")
    stay_factory(checkpoint, now, name="Trần Văn Hùng", phone="0987654321")
    # Rows made in bulk (the paper sheet, the demo) are folded too.
    CheckIn.objects.bulk_create(
        [CheckIn(checkpoint=checkpoint, full_name="Lê Thị Hoa", id_number="038090001234")]
    )
    officer = staff_user_factory(communes=[checkpoint.commune], groups=[roles.COMMUNE_STAFF])
    client.force_login(officer)

    def found(query):
        html = client.get("/admin/checkpoints/luot/", {"q": query}).content.decode()
        return {name for name in (NAME, "Trần Văn Hùng", "Lê Thị Hoa") if name in html}

    assert found("nguyen thi hang") == {NAME}
    assert found("NGUYEN THI HANG") == {NAME}
    assert found("Hằng") == {NAME}
    assert found("hung") == {"Trần Văn Hùng"}
    assert found("le thi hoa") == {"Lê Thị Hoa"}
    assert found("0912 345 678") == {NAME}
    assert found("+84 912 345 678") == {NAME}
    assert found("038 090") == {"Lê Thị Hoa"}
    assert found("Hoàng") == set()


def test_rows_stored_before_the_folded_column_get_it_from_the_migration(stay_factory, checkpoint):
    from django.utils import timezone

    from portal.core.text import fold_stored

    stay = stay_factory(checkpoint, timezone.now(), name=NAME)
    CheckIn.objects.filter(pk=stay.pk).update(name_folded="")  # as the column was added
    assert fold_stored(CheckIn, "full_name", "name_folded", batch_size=1) == 1
    stay.refresh_from_db()
    assert stay.name_folded == "nguyen thi hang"
