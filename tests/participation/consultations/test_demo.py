"""The demo content: one draft open for comment on the district site, with approved comments
shown and a pending one not; loading again changes nothing."""

import pytest
from django.test import Client

from portal.participation.consultations import demo as consultation_demo
from portal.participation.consultations.models import Comment, CommentStatus, DraftPage

pytestmark = pytest.mark.django_db


def test_the_district_site_has_an_open_draft_with_approved_comments(demo):
    draft = DraftPage.objects.get(slug=consultation_demo.SLUG)
    assert draft.get_site() == demo and draft.is_open
    assert draft.sections.count() == 3 and draft.document is not None
    assert Comment.objects.filter(page=draft, status=CommentStatus.APPROVED).count() == 2
    body = Client().get(draft.url).content.decode()
    assert "Đang lấy ý kiến" in body
    assert "Đề nghị quy định rõ diện tích tối đa" in body
    assert "đề nghị gửi bản giấy về từng thôn" not in body  # still waiting for moderation
    index = Client().get(draft.get_parent().url).content.decode()
    assert draft.title in index

    consultation_demo.load({"site": demo})
    assert DraftPage.objects.count() == 1 and Comment.objects.count() == 3


def test_staff_open_the_draft_editor_and_the_summary(demo, client):
    from django.contrib.auth import get_user_model

    draft = DraftPage.objects.get(slug=consultation_demo.SLUG)
    client.force_login(get_user_model().objects.get(username="admin"))
    edit = client.get(f"/admin/pages/{draft.pk}/edit/").content.decode()
    assert f"/admin/lay-y-kien/{draft.pk}/" in edit  # the "summary of comments" button
    add = client.get(f"/admin/pages/add/consultations/draftpage/{draft.get_parent().pk}/")
    assert add.status_code == 200
    summary = client.get(f"/admin/lay-y-kien/{draft.pk}/").content.decode()
    assert "Đang lấy ý kiến: số liệu tạm tính." in summary
    listing = client.get("/admin/gop-y-du-thao/?status=pending").content.decode()
    assert "Thôn tôi chưa được niêm yết quy chế cũ" in listing
