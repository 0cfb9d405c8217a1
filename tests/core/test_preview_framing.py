"""The editor's preview panel frames the page preview: the preview may be framed by the admin
(frame-ancestors 'self', X-Frame-Options SAMEORIGIN); public pages may be framed by nobody."""

import pytest
from django.test import RequestFactory
from wagtail.models import Site

from portal.core import roles

pytestmark = pytest.mark.django_db


def _frame_ancestors(response) -> str:
    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    return directives["frame-ancestors"]


def test_page_preview_may_be_framed_by_the_admin_only(demo, client, staff_user_factory):
    page = Site.objects.get(is_default_site=True).root_page.get_children().live().first().specific
    editor = staff_user_factory(groups=[roles.EDITOR], all_communes=True)
    # What the preview view does: render the page through the whole middleware chain with a
    # dummy request for its public address.
    request = RequestFactory().get(f"/admin/pages/{page.pk}/edit/preview/?in_preview_panel=true")
    request.user = editor
    preview = page.make_preview_request(original_request=request)
    assert preview.status_code == 200
    assert _frame_ancestors(preview) == "'self'"
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert "unsafe-inline" not in preview["Content-Security-Policy"]  # still the public policy

    public = client.get(page.url)
    assert _frame_ancestors(public) == "'none'"
    assert public["X-Frame-Options"] == "DENY"


def test_admin_pages_may_be_framed_by_the_admin(db, client, staff_user_factory):
    client.force_login(staff_user_factory(groups=[roles.EDITOR], all_communes=True))
    response = client.get("/admin/")
    assert _frame_ancestors(response) == "'self'"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
