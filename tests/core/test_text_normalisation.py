"""One rule for Vietnamese text (portal.core.text): NFC everywhere, clean names, folding for search.

Vietnamese keyboards and some phones send decomposed letters (NFD): "ễ" as "e" + U+0302 + U+0303.
"""

import unicodedata

import pytest

from portal.core.security import NormaliseInputMiddleware
from portal.core.text import clean_name, fold, nfc, normalise_stored

NAME = "Nguyễn Thị Hằng"
NFD_NAME = unicodedata.normalize("NFD", NAME)


def _view(request):
    return None


def test_the_decomposed_spelling_differs_from_the_usual_one():
    # What the rest of this file is about: equal on screen, unequal to a computer.
    assert NFD_NAME != NAME and len(NFD_NAME) > len(NAME)


def test_nfc_composes_and_never_returns_none():
    assert nfc(NFD_NAME) == NAME
    assert nfc(NAME) is NAME  # already NFC: the same object, nothing rebuilt
    assert nfc(None) == "" and nfc(1593) == "1593"


def test_clean_name_drops_invisible_and_direction_characters():
    typed = f" \u202e{NFD_NAME[:6]}\u200b{NFD_NAME[6:]}\u200f \u00ad\ufeff\u2066x\u2069  "
    assert clean_name(typed) == f"{NAME} x"
    for ch in "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e":
        assert clean_name(f"Lê{ch}Văn") == "LêVăn", repr(ch)
    for ch in "\u2066\u2067\u2068\u2069":
        assert clean_name(f"Lê{ch}Văn") == "LêVăn", repr(ch)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("KHAI BÁO Y TẾ", "khai bao y te"),
        (unicodedata.normalize("NFD", "KHAI BÁO Y TẾ"), "khai bao y te"),
        ("Đồng Đức đường", "dong duc duong"),
        (unicodedata.normalize("NFD", "Đồng Đức đường"), "dong duc duong"),
        ("ƯỚC ƠN Ữ", "uoc on u"),
        (None, ""),
    ],
)
def test_fold_takes_any_form_and_folds_every_vietnamese_letter(text, folded):
    assert fold(text) == folded


def test_fold_keeps_the_length_of_the_nfc_text_for_highlighting():
    assert len(fold(NFD_NAME)) == len(NAME)


def test_one_folding_rule_in_the_code():
    # Catalogue search, checkpoint import, directive numbers and site search all fold alike.
    from portal.checkpoints import imports
    from portal.eservices import catalogue
    from portal.home import search
    from portal.news.models import directives

    assert catalogue.fold is fold and directives.fold is fold and search.fold is fold
    assert imports.match_key(unicodedata.normalize("NFD", "Nhà  Văn Hoá")) == "nha van hoa"


# --- the request boundary -------------------------------------------------------------------------


def test_query_string_and_posted_fields_arrive_in_nfc(rf):
    middleware = NormaliseInputMiddleware(lambda request: None)
    request = rf.post(
        "/x/?" + f"q={NFD_NAME}&so=1593".replace(" ", "+"),
        {"full_name": NFD_NAME, "tags": [NFD_NAME, "b"], unicodedata.normalize("NFD", "tên"): "x"},
    )
    assert NFD_NAME in request.GET["q"] or request.GET["q"] == NFD_NAME
    middleware.process_view(request, _view, (), {})
    assert request.GET["q"] == NAME and request.GET["so"] == "1593"
    assert request.POST["full_name"] == NAME
    assert request.POST.getlist("tags") == [NAME, "b"]
    assert request.POST["tên"] == "x" and len(request.POST) == 3
    assert not request.GET._mutable and not request.POST._mutable


def test_clean_input_is_not_copied(rf):
    middleware = NormaliseInputMiddleware(lambda request: None)
    request = rf.post(f"/x/?q={NAME}", {"full_name": NAME, "phone": "0912345678"})
    get, post = request.GET, request.POST
    middleware.process_view(request, _view, (), {})
    assert request.GET is get and request.POST is post


def test_a_decomposed_search_query_reaches_the_view_in_nfc(db, client):
    response = client.get("/tim-kiem/", {"q": NFD_NAME})
    assert response.status_code == 200
    assert response.context["raw_query"] == NAME and response.context["query"] == NAME


def test_uploaded_file_contents_are_left_as_they_are(rf):
    from django.core.files.uploadedfile import SimpleUploadedFile

    middleware = NormaliseInputMiddleware(lambda request: None)
    body = NFD_NAME.encode()
    request = rf.post("/x/", {"note": NFD_NAME, "file": SimpleUploadedFile("a.txt", body)})
    middleware.process_view(request, _view, (), {})
    assert request.POST["note"] == NAME
    assert request.FILES["file"].read() == body


# --- rows stored before ---------------------------------------------------------------------------


def test_stored_rows_are_brought_to_the_same_form(db, served_communes):
    from portal.checkpoints.models import CheckIn, Checkpoint

    checkpoint = Checkpoint.objects.create(
        commune=served_communes[0], name="Chợ Bồng", address=unicodedata.normalize("NFD", "Thôn 1")
    )
    old = CheckIn.objects.create(checkpoint=checkpoint, full_name=f"{NFD_NAME}\u200b")
    fine = CheckIn.objects.create(checkpoint=checkpoint, full_name="Lê Văn Tâm")
    assert normalise_stored(CheckIn, names=("full_name",)) == 1
    assert normalise_stored(Checkpoint, names=("name",), texts=("address",)) == 1
    old.refresh_from_db()
    checkpoint.refresh_from_db()
    assert old.full_name == NAME and checkpoint.address == "Thôn 1"
    assert CheckIn.objects.get(pk=fine.pk).full_name == "Lê Văn Tâm"
    assert normalise_stored(CheckIn, names=("full_name",)) == 0


def test_a_password_is_kept_as_typed_while_the_rest_is_composed(rf):
    """A password set decomposed at a terminal must still match what the login form posts."""
    middleware = NormaliseInputMiddleware(lambda request: None)
    nfd_secret = unicodedata.normalize("NFD", "mậtkhẩu-dài-123")
    request = rf.post("/admin/login/", {"username": NFD_NAME, "password": nfd_secret + "\x00"})
    middleware.process_view(request, _view, (), {})
    assert request.POST["username"] == NAME
    assert request.POST["password"] == nfd_secret
