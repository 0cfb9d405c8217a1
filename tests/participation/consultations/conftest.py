import datetime

import pytest
from django.test import Client
from django.utils import timezone

from portal.participation.consultations.models import (
    Comment,
    CommentStatus,
    ConsultationIndexPage,
    ContactRule,
    DraftPage,
    DraftSection,
)
from tests.core.test_sites_editors import OTHER, TOWN, sites  # noqa: F401


def host(site):
    return f"{site.hostname}:{site.port}" if site.port not in (80, 443) else site.hostname


def make_draft(index, opens_in=-2, closes_in=10, contact_rule=ContactRule.OPTIONAL, **fields):
    """A live draft with two sections, opening ``opens_in`` days from now."""
    now = timezone.now()
    draft = DraftPage(
        title=fields.pop("title", "Dự thảo Quy chế quản lý chợ"),
        slug=fields.pop("slug", f"du-thao-{DraftPage.objects.count() + 1}"),
        drafting_agency="Phòng Kinh tế và Hạ tầng",
        summary="Quy định việc quản lý, sử dụng chợ của xã.",
        opens_at=now + datetime.timedelta(days=opens_in),
        closes_at=now + datetime.timedelta(days=closes_in),
        contact_rule=contact_rule,
        **fields,
    )
    draft.sections.add(DraftSection(heading="Điều 1. Phạm vi", body="<p>Chợ của xã.</p>"))
    draft.sections.add(DraftSection(heading="Điều 2. Giờ mở cửa", body="<p>Từ 5 giờ.</p>"))
    index.add_child(instance=draft)
    draft.save_revision().publish()
    return DraftPage.objects.get(pk=draft.pk)


def comment_on(draft, section=None, status=CommentStatus.APPROVED, body="Ý kiến", **fields):
    return Comment.objects.create(
        page=draft,
        section=section,
        section_heading=section.heading if section else "",
        site=draft.get_site(),
        body=body,
        status=status,
        **fields,
    )


@pytest.fixture
def town(sites):  # noqa: F811
    made = sites[TOWN]
    made["index"] = ConsultationIndexPage.objects.child_of(made["site"].home).get()
    made["host"] = host(made["site"].site)
    return made


@pytest.fixture
def other(sites):  # noqa: F811
    made = sites[OTHER]
    made["index"] = ConsultationIndexPage.objects.child_of(made["site"].home).get()
    made["host"] = host(made["site"].site)
    return made


@pytest.fixture
def open_draft(town):
    return make_draft(town["index"])


@pytest.fixture
def visitor(town):
    client = Client()
    client.defaults["HTTP_HOST"] = town["host"]
    return client
