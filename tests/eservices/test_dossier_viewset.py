"""The desk's dossier list is a Wagtail viewset: scoped to the officer's communes, filtered from
lists, searched, and audited with the number of dossiers each page showed."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.core import roles
from portal.core.models import AuditEntry
from portal.eservices.models import Dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(es_demo):
    return Dossier.objects.get(service__slug="tiep-nhan-bao-cao-dinh-ky-cua-ubnd-cap-xa")


@pytest.fixture
def two_communes(report, served_communes):
    """The demo dossier in one commune and a copy of it in another."""
    here, there = served_communes[0], served_communes[1]
    report.commune = here
    report.save(update_fields=["commune"])
    other = Dossier.objects.create(
        code=report.code + "-B",
        service=report.service,
        service_title=report.service_title,
        form_version=report.form_version,
        agency_code=report.agency_code,
        applicant_name="Phạm Thị Lan",
        commune=there,
        due_date=report.due_date,
    )
    return report, other, here


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_commune_officer_sees_only_their_communes_dossiers_and_the_audit_counts_them(
    two_communes, staff_user_factory
):
    mine, theirs, here = two_communes
    officer = staff_user_factory(communes=[here], groups=[roles.ONE_STOP_OFFICER])
    response = login(officer).get(reverse("eservices_admin:list"))
    assert response.status_code == 200
    shown = [d.code for d in response.context["object_list"]]
    assert shown == [mine.code]
    assert theirs.code not in response.content.decode()
    entry = AuditEntry.objects.filter(action="eservices.list_dossiers").latest("pk")
    assert entry.record_count == 1
    assert entry.username == officer.username


def test_the_results_fragment_is_scoped_and_audited_too(two_communes, staff_user_factory):
    mine, theirs, here = two_communes
    officer = staff_user_factory(communes=[here], groups=[roles.ONE_STOP_OFFICER])
    response = login(officer).get(reverse("eservices_dossiers:index_results"), {"q": "Lan"})
    assert response.status_code == 200
    assert theirs.code not in response.content.decode()
    entry = AuditEntry.objects.filter(action="eservices.list_dossiers").latest("pk")
    assert entry.record_count == 0
    assert entry.parameters == {"Tìm kiếm": "Lan"}


def test_district_desk_sees_every_commune_and_filters_are_recorded_in_words(
    two_communes, staff_user_factory
):
    mine, theirs, _here = two_communes
    desk = staff_user_factory(groups=[roles.ONE_STOP_OFFICER])
    client = login(desk)
    both = client.get(reverse("eservices_admin:list"))
    assert {mine.code, theirs.code} <= {d.code for d in both.context["object_list"]}
    received = client.get(reverse("eservices_admin:list"), {"status": "received"})
    assert [d.code for d in received.context["object_list"]] == [mine.code]
    entry = AuditEntry.objects.filter(action="eservices.list_dossiers").latest("pk")
    assert entry.record_count == 1
    assert entry.parameters == {"Trạng thái": "Được tiếp nhận"}


def test_the_list_is_vietnamese_and_links_each_dossier(two_communes, staff_user_factory):
    mine, _theirs, _here = two_communes
    desk = staff_user_factory(groups=[roles.ONE_STOP_OFFICER])
    html = login(desk).get(reverse("eservices_admin:list")).content.decode()
    assert reverse("eservices_admin:detail", args=[mine.pk]) in html
    for words in ("Mã hồ sơ", "Người nộp", "Trạng thái", "Ngày hẹn trả", "Hồ sơ trực tuyến"):
        assert words in html
    for english in ("False", "True", "Code, applicant", "Overdue only"):
        assert english not in html


def test_the_list_answers_only_staff_who_may_view_dossiers(report, staff_user_factory):
    editor = staff_user_factory(groups=[roles.EDITOR])
    assert login(editor).get(reverse("eservices_admin:list")).status_code in (302, 403)
    assert Client().get(reverse("eservices_admin:list")).status_code == 302
    # No add, edit or delete screens: dossiers are filed by citizens.
    assert (
        "/admin/ho-so/new/"
        not in login(staff_user_factory(superuser=True))
        .get(reverse("eservices_admin:list"))
        .content.decode()
    )
