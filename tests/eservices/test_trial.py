"""An editor tries a procedure's draft form end to end from the admin; nothing is filed."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.core import roles
from portal.eservices.models import Dossier, Draft, ServicePage
from tests.eservices.conftest import png_bytes
from tests.eservices.test_filing_flow import APPLICANT, CHILD


@pytest.fixture
def birth(es_demo):
    return ServicePage.objects.get(slug="dang-ky-khai-sinh")


@pytest.mark.django_db
def test_an_editor_tries_the_draft_form_to_the_end_and_nothing_is_filed(
    birth, wizard_for, client, staff_user_factory
):
    dossiers, drafts = Dossier.objects.count(), Draft.objects.count()
    mail.outbox.clear()
    editor = staff_user_factory(groups=[roles.EDITOR])
    client.force_login(editor)
    # A draft that renames the first step: the trial follows the draft, the public form does not.
    draft = birth.get_latest_revision_as_object()
    draft.online_form[0].value["title"] = "Người đi đăng ký (bản nháp)"
    draft.save_revision(user=editor)
    edit = client.get(f"/admin/pages/{birth.pk}/edit/").content.decode()
    assert f"/admin/thu-bieu-mau/{birth.pk}/" in edit and "Thử biểu mẫu (bản nháp)" in edit

    w = wizard_for(f"/admin/thu-bieu-mau/{birth.pk}/")
    assert "Người đi đăng ký (bản nháp)" in w.html
    assert "Thử biểu mẫu bản nháp." in w.html
    assert 'name="_save"' not in w.html  # no save-for-later link to a trial
    w.post(APPLICANT)
    w.post(CHILD)
    w.post(
        {"cap_ban_sao": "yes", "so_ban_sao": "2"},
        {"giay_chung_sinh": SimpleUploadedFile("giấy chứng sinh.png", png_bytes(), "image/png")},
    )
    assert w.step == "kiem-tra", w.html
    w.post({"consent": "on"})
    assert "Đã thử đến bước cuối" in w.html
    assert "Trung tâm Y tế huyện Vĩnh Lộc" in w.html  # the answers, read back
    assert Dossier.objects.count() == dossiers
    assert [m.subject for m in mail.outbox] == []
    assert Draft.objects.count() == drafts
    public = client.get(f"/dich-vu-cong/nop/{birth.slug}/", follow=True).content.decode()
    assert "Người đi đăng ký (bản nháp)" not in public


@pytest.mark.django_db
def test_only_those_who_may_edit_the_page_try_it(birth, client, staff_user_factory):
    url = f"/admin/thu-bieu-mau/{birth.pk}/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(staff_user_factory(groups=[roles.COMMUNE_STAFF]))
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_preview_of_a_procedure_leads_to_the_trial_not_to_a_missing_public_form(
    birth, client, staff_user_factory
):
    client.force_login(staff_user_factory(groups=[roles.EDITOR]))
    preview = client.get(f"/admin/pages/{birth.pk}/view_draft/")
    html = preview.content.decode()
    assert f'href="/admin/thu-bieu-mau/{birth.pk}/"' in html
    assert f'href="/dich-vu-cong/nop/{birth.slug}/"' not in html
