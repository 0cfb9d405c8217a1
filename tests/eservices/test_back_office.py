"""The back office: permissions, audited file access, filters, dashboard panel, stage rules."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.core.models import AuditEntry
from portal.eservices.models import Dossier, DossierFile, Status


@pytest.fixture
def report(es_demo):
    return Dossier.objects.get(service__slug="tiep-nhan-bao-cao-dinh-ky-cua-ubnd-cap-xa")


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_demo_report_dossier_has_signed_file_number_date_and_receipt(report, es_demo):
    assert report.code.startswith("VL-")
    assert report.answers["so_ky_hieu"] == "125/BC-UBND"
    assert report.answers["ngay_ban_hanh"] == "2021-09-10"
    assert report.applicant_organisation == "UBND xã Vĩnh Thành"
    assert report.status == Status.RECEIVED
    signed = report.files.get()
    assert signed.file.read(4) == b"%PDF"


@pytest.mark.django_db
def test_attachments_are_served_only_to_permitted_staff_and_audited(
    report, es_demo, staff_user_factory
):
    item = report.files.get()
    url = reverse("eservices_admin:file", kwargs={"pk": item.pk})
    editor = es_demo["demo_users"]["bientap"]
    assert login(editor).get(url).status_code in (302, 403)
    assert Client().get(url).status_code == 302  # to the login page
    officer = es_demo["demo_users"]["motcua"]
    response = login(officer).get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment")
    assert AuditEntry.objects.filter(action="eservices.download_file", username="motcua").exists()
    login(officer).get(reverse("eservices_admin:detail", kwargs={"pk": report.pk}))
    assert AuditEntry.objects.filter(action="eservices.view_dossier", subject=report.code).exists()


@pytest.mark.django_db
def test_private_files_have_no_public_url(report):
    item = report.files.get()
    with pytest.raises(ValueError):
        item.file.url  # noqa: B018


@pytest.mark.django_db
def test_viewer_without_process_permission_cannot_change_stage(report, staff_user_factory):
    viewer = staff_user_factory(perms=["wagtailadmin.access_admin", "eservices.view_dossier"])
    detail = reverse("eservices_admin:detail", kwargs={"pk": report.pk})
    assert login(viewer).get(detail).status_code == 200
    assert login(viewer).post(detail, {"status": "processing"}).status_code in (302, 403)
    report.refresh_from_db()
    assert report.status == Status.RECEIVED


@pytest.mark.django_db
def test_only_allowed_next_stages_and_notes_required(report, es_demo):
    officer = login(es_demo["demo_users"]["motcua"])
    detail = reverse("eservices_admin:detail", kwargs={"pk": report.pk})
    assert (
        officer.post(detail, {"status": "returned"}).status_code == 200
    )  # not allowed from received
    response = officer.post(detail, {"status": "stopped", "note": ""})
    assert "Hãy ghi chú cho người nộp" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.RECEIVED


@pytest.mark.django_db
def test_list_filters_by_status_procedure_and_overdue(report, es_demo):
    officer = login(es_demo["demo_users"]["motcua"])
    url = reverse("eservices_admin:list")
    assert report.code in officer.get(url, {"status": "received"}).content.decode()
    assert report.code not in officer.get(url, {"status": "new"}).content.decode()
    assert report.code in officer.get(url, {"service": report.service_id}).content.decode()
    assert report.code not in officer.get(url, {"overdue": "on"}).content.decode()
    Dossier.objects.filter(pk=report.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    assert report.code in officer.get(url, {"overdue": "on"}).content.decode()


@pytest.mark.django_db
def test_dashboard_panel_shows_new_and_overdue_to_officers(report, es_demo):
    Dossier.objects.filter(pk=report.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    html = login(es_demo["demo_users"]["motcua"]).get(reverse("wagtailadmin_home")).content.decode()
    assert "Hồ sơ trực tuyến" in html and "1 hồ sơ quá hạn" in html
    html = (
        login(es_demo["demo_users"]["bientap"]).get(reverse("wagtailadmin_home")).content.decode()
    )
    assert "hồ sơ quá hạn" not in html


@pytest.mark.django_db
def test_process_permission_exists_for_the_one_stop_role(es_demo):
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Cán bộ một cửa")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_dossier", "process_dossier"} <= codenames


@pytest.mark.django_db
def test_finished_dossiers_are_anonymised_after_the_legal_period(report, settings):
    from portal.eservices.tasks import anonymise_finished_dossiers

    path = report.files.get().file.path
    Dossier.objects.filter(pk=report.pk).update(
        status=Status.RETURNED,
        finished_at=timezone.now()
        - datetime.timedelta(days=settings.ESERVICES_DOSSIER_RETENTION_DAYS + 1),
    )
    assert anonymise_finished_dossiers() == 1
    report.refresh_from_db()
    assert (
        report.answers == {}
        and report.applicant_name == "Đã ẩn danh"
        and report.applicant_phone == ""
    )
    assert not DossierFile.objects.filter(dossier=report).exists()
    import os

    assert not os.path.exists(path)
    assert report.code  # the register of codes stays
    assert anonymise_finished_dossiers() == 0


@pytest.mark.django_db
def test_the_desk_finds_a_dossier_by_name_without_diacritics_or_by_numbers_as_typed(
    report, es_demo
):
    from portal.core.text import fold

    Dossier.objects.filter(pk=report.pk).update(
        applicant_phone="0912345678", applicant_id_number="038090001234"
    )
    report.refresh_from_db()
    assert report.applicant_name_folded == fold(report.applicant_name)
    officer = login(es_demo["demo_users"]["motcua"])
    url = reverse("eservices_admin:list")

    def found(query):
        return report.code in officer.get(url, {"q": query}).content.decode()

    # The demo applicant's name has diacritics: the folded query is another string.
    assert fold(report.applicant_name) != report.applicant_name.lower()
    for query in (
        report.applicant_name,
        fold(report.applicant_name),
        fold(report.applicant_name).upper(),
        "0912 345 678",
        "+84 912 345 678",
        "038 090 001 234",
        report.code.lower(),
    ):
        assert found(query), query
    assert not found("Hoàng Văn Không Có")

    # Anonymising forgets the folded name too.
    from portal.eservices.tasks import anonymise_dossier

    anonymise_dossier(report)
    report.refresh_from_db()
    assert report.applicant_name_folded == "da an danh"
