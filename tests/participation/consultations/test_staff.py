"""Staff side: moderation within one's own sites, contacts only for those who need them (and
audited), the summary for the drafting agency as DOCX and XLSX, and the retention of contacts."""

import datetime
import io

import docx
import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from portal.core import roles
from portal.core.models import AuditEntry
from portal.core.privacy_requests import providers
from portal.core.roles import setup_roles
from portal.core.unit_sites import editors_group_name
from portal.participation.consultations import retention, tasks
from portal.participation.consultations.models import Comment, CommentStatus
from portal.reports.document import NATIONAL_TITLE

from .conftest import comment_on, make_draft

pytestmark = pytest.mark.django_db
LIST = "/admin/gop-y-du-thao/"


@pytest.fixture
def town_editor(town, staff_user_factory):
    setup_roles()
    user = staff_user_factory()
    user.groups.add(Group.objects.get(name=editors_group_name(town["unit"])))
    return user


@pytest.fixture
def both_sites_comments(open_draft, other):
    theirs = make_draft(other["index"], slug="du-thao-xa-khac", title="Dự thảo của xã khác")
    mine = comment_on(open_draft, status=CommentStatus.PENDING, body="Ý kiến ở thị trấn",
                      name="Phạm Thị Mười", phone="0912000111")  # fmt: skip
    comment_on(theirs, status=CommentStatus.PENDING, body="Ý kiến ở xã khác")
    return mine


def test_a_commune_editor_moderates_their_sites_comments_only(
    client, town_editor, both_sites_comments, open_draft, visitor, settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.PAGE_CACHE_ENABLED = True
    caches["default"].clear()
    visitor.get(open_draft.url)
    assert visitor.get(open_draft.url)["X-Portal-Cache"] == "hit"
    client.force_login(town_editor)
    listing = client.get(LIST)
    body = listing.content.decode()
    assert listing.status_code == 200
    assert "Ý kiến ở thị trấn" in body and "Ý kiến ở xã khác" not in body
    assert "Phạm Thị Mười" not in body and "0912000111" not in body
    entry = AuditEntry.objects.filter(action="consultations.comments.list").get()
    assert entry.user == town_editor and entry.record_count == 1
    others = Comment.objects.exclude(pk=both_sites_comments.pk).get()
    assert client.get(f"{LIST}edit/{others.pk}/").status_code == 404

    edit = client.get(f"{LIST}edit/{both_sites_comments.pk}/")
    text = edit.content.decode()
    assert "Ý kiến ở thị trấn" in text
    assert "Phạm Thị Mười" not in text and "0912000111" not in text  # editors see no contact
    assert AuditEntry.objects.filter(action="consultations.comments.view").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{LIST}edit/{both_sites_comments.pk}/", {"status": "approved"})
    assert response.status_code == 302
    comment = Comment.objects.get(pk=both_sites_comments.pk)
    assert comment.status == CommentStatus.APPROVED and comment.moderated_by == town_editor
    assert comment.body == "Ý kiến ở thị trấn" and comment.name == "Phạm Thị Mười"
    page = visitor.get(open_draft.url)  # the cached copy was purged
    assert page["X-Portal-Cache"] != "hit"
    assert "Ý kiến ở thị trấn" in page.content.decode()
    assert "Phạm Thị Mười" not in page.content.decode()


def test_approvers_see_the_contact_and_that_is_audited(
    client, both_sites_comments, staff_user_factory
):
    setup_roles()
    approver = staff_user_factory(groups=[roles.APPROVER])
    client.force_login(approver)
    text = client.get(f"{LIST}edit/{both_sites_comments.pk}/").content.decode()
    assert "Phạm Thị Mười" in text and "0912000111" in text
    entry = AuditEntry.objects.get(action="consultations.comments.view")
    assert entry.user == approver and entry.subject == f"#{both_sites_comments.pk}"


def test_staff_without_the_permission_see_no_comments(client, both_sites_comments,
                                                      staff_user_factory):  # fmt: skip
    setup_roles()
    client.force_login(staff_user_factory(groups=[roles.HEALTH_OFFICIAL]))
    assert client.get(LIST).status_code in (302, 403)
    assert client.get(f"/admin/lay-y-kien/{both_sites_comments.page_id}/").status_code in (302, 403)


def test_role_grants_come_from_the_hook():
    granted = roles.app_permissions()
    assert "consultations.change_comment" in granted[roles.SITE_GROUPS]
    assert "consultations.view_contact" not in granted[roles.SITE_GROUPS]
    assert "consultations.view_contact" in granted[roles.APPROVER]


@pytest.fixture
def closed_draft(town):
    draft = make_draft(town["index"], opens_in=-30, closes_in=-1, slug="da-dong")
    first, second = draft.sections.all()
    comment_on(draft, body="Chung 1")
    comment_on(draft, first, body='=HYPERLINK("http://x")', name="Bí Mật", phone="0912345678")
    comment_on(draft, second, body="Điều 2 ý kiến 1")
    comment_on(draft, second, body="Điều 2 ý kiến 2")
    comment_on(draft, second, body="Chưa duyệt", status=CommentStatus.PENDING)
    comment_on(draft, second, body="Quảng cáo", status=CommentStatus.REJECTED)
    return draft


def test_the_summary_counts_approved_comments_by_section_in_docx_and_xlsx(
    client, town_editor, closed_draft
):
    client.force_login(town_editor)
    screen = client.get(f"/admin/lay-y-kien/{closed_draft.pk}/").content.decode()
    assert "Tổng hợp ý kiến" in screen and "1 ý kiến chờ duyệt, 1 ý kiến không đăng" in screen

    response = client.get(f"/admin/lay-y-kien/{closed_draft.pk}/tong-hop.docx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    heading = "\n".join(cell.text for row in document.tables[0].rows for cell in row.cells)
    assert NATIONAL_TITLE in heading and "Ủy ban nhân dân thị trấn Vĩnh Lộc" in heading
    assert "Vĩnh Lộc, ngày " in heading
    assert "Kính gửi: Phòng Kinh tế và Hạ tầng" in text
    assert "1. Toàn bộ dự thảo (1 ý kiến)" in text
    assert "2. Điều 1. Phạm vi (1 ý kiến)" in text
    assert "3. Điều 2. Giờ mở cửa (2 ý kiến)" in text
    assert "Chưa duyệt" not in text and "Quảng cáo" not in text
    assert "Bí Mật" not in text and "0912345678" not in text
    counts = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert counts[1:] == [["1", "Toàn bộ dự thảo", "1"], ["2", "Điều 1. Phạm vi", "1"],
                          ["3", "Điều 2. Giờ mở cửa", "2"], ["", "Tổng cộng", "4"]]  # fmt: skip

    response = client.get(f"/admin/lay-y-kien/{closed_draft.pk}/tong-hop.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["Tổng hợp"].iter_rows(values_only=True))
    table = rows[rows.index(("STT", "Phần của dự thảo", "Số ý kiến")) + 1 :]
    assert table[:4] == [(1, "Toàn bộ dự thảo", 1), (2, "Điều 1. Phạm vi", 1),
                         (3, "Điều 2. Giờ mở cửa", 2), (None, "Tổng cộng", 4)]  # fmt: skip
    comments = list(book["Ý kiến"].iter_rows(values_only=True))
    assert len(comments) == 5
    cells = [c for row in comments for c in row]
    assert '\'=HYPERLINK("http://x")' in cells  # written as text, never run
    assert "Bí Mật" not in cells and "0912345678" not in cells
    assert AuditEntry.objects.filter(action="consultations.summary.export.xlsx").exists()


def test_another_sites_summary_is_not_found(client, town_editor, other):
    theirs = make_draft(other["index"])
    client.force_login(town_editor)
    assert client.get(f"/admin/lay-y-kien/{theirs.pk}/tong-hop.docx").status_code == 404


def test_contacts_are_erased_after_the_retention_and_the_comment_stays(town, settings):
    settings.CONSULTATIONS_CONTACT_RETENTION_DAYS = 30
    old = make_draft(town["index"], opens_in=-60, closes_in=-31, slug="cu")
    recent = make_draft(town["index"], opens_in=-20, closes_in=-1, slug="moi")
    expired = comment_on(old, name="A", phone="0912345678", email="a@vidu.vn")
    kept = comment_on(recent, name="B", phone="0987654321")
    assert retention.erase_expired_contacts() == 1
    expired.refresh_from_db()
    kept.refresh_from_db()
    assert (expired.name, expired.phone, expired.email) == ("", "", "")
    assert expired.body == "Ý kiến" and expired.contact_erased_at is not None
    assert kept.phone == "0987654321"
    out = io.StringIO()
    call_command("erase_consultation_contacts", stdout=out)
    assert "0 comment" in out.getvalue()  # idempotent
    later = timezone.now() + datetime.timedelta(days=40)
    assert retention.erase_expired_contacts(now=later) == 1
    assert tasks.erase_expired_contacts() == 0  # the beat task: nothing left to erase


def test_a_personal_data_request_finds_and_erases_a_commenters_contact(open_draft):
    comment = comment_on(open_draft, name="C", phone="0912345678")
    provider = next(p for p in providers() if p.label == "Ý kiến góp ý dự thảo")
    found = provider.find("0912345678", "")
    assert list(found) == [comment]
    assert provider.erase_records(found) == 1
    comment.refresh_from_db()
    assert (comment.name, comment.phone) == ("", "") and comment.body == "Ý kiến"


def test_nobody_adds_a_comment_in_the_admin(client, both_sites_comments, staff_user_factory):
    client.force_login(staff_user_factory(superuser=True))
    listing = client.get(LIST).content.decode()
    assert f'href="{LIST}new/"' not in listing
    assert "Có" in listing  # "left a contact", in words
    assert client.get(f"{LIST}new/").status_code in (302, 403)


def test_a_removed_sections_comments_stay_in_the_summary_under_its_old_heading(open_draft):
    from portal.participation.consultations.summary import build_summary

    first, second = open_draft.sections.all()
    comment_on(open_draft, second, body="Về giờ mở cửa")
    second.delete()
    summary = build_summary(open_draft)
    assert [(g.heading, g.count) for g in summary.groups] == [
        ("Toàn bộ dự thảo", 0),
        ("Điều 1. Phạm vi", 0),
        ("Điều 2. Giờ mở cửa", 1),
    ]
    assert Comment.objects.get().where == "Điều 2. Giờ mở cửa"
