"""Moderation (draft → approval by Lãnh đạo duyệt tin → published) and scheduled publishing."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowState

from portal.core import roles, workflows
from portal.core.tasks import publish_scheduled

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(staff_user_factory):
    user = staff_user_factory(groups=[roles.EDITOR])
    user.email = "editor@vinhloc.example"
    user.save()
    return user


@pytest.fixture
def approver(staff_user_factory):
    user = staff_user_factory(groups=[roles.APPROVER])
    user.email = "approver@vinhloc.example"
    user.save()
    return user


@pytest.fixture
def section():
    root = Page.get_first_root_node()
    return root.add_child(instance=Page(title="Tin tức", slug="tin-tuc-test"))


def _draft(section, title="Thông báo tiêm chủng đợt 3"):
    page = section.add_child(instance=Page(title=title, slug="thong-bao-test", live=False))
    page.save_revision()
    return page


def test_workflow_exists_once_with_the_approvers_task_on_the_whole_tree():
    workflows.ensure_moderation_workflow()
    workflows.ensure_moderation_workflow()
    workflow = Workflow.objects.get(name=workflows.WORKFLOW_NAME)
    assert workflow.active
    tasks = [t.specific for t in workflow.tasks]
    assert len(tasks) == 1
    assert isinstance(tasks[0], GroupApprovalTask)
    assert list(tasks[0].groups.values_list("name", flat=True)) == [roles.APPROVER]
    root = Page.get_first_root_node()
    assert WorkflowPage.objects.get(page=root).workflow == workflow
    assert Workflow.objects.filter(active=True).count() == 1
    assert not Group.objects.filter(name__in=workflows.WAGTAIL_DEFAULT_GROUPS).exists()


def test_a_new_news_section_page_is_under_the_workflow(section):
    page = _draft(section)
    assert page.get_workflow().name == workflows.WORKFLOW_NAME


def test_editor_cannot_publish_but_can_submit(section, editor, approver):
    page = _draft(section)
    assert not page.permissions_for_user(editor).can_publish()
    assert page.permissions_for_user(editor).can_submit_for_moderation()
    assert page.permissions_for_user(approver).can_publish()


def test_submitted_draft_waits_for_the_approver_then_goes_live(section, editor, approver):
    page = _draft(section)
    state = page.get_workflow().start(page, editor)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    task_state = state.current_task_state
    task = task_state.task.specific
    assert task.user_can_access_editor(page, approver)
    assert [a[0] for a in task.get_actions(page, approver)] == ["reject", "approve", "approve"]
    assert task.get_actions(page, editor) == []

    # The approver is told by e-mail, the editor is not asked.
    assert [m.to for m in mail.outbox] == [[approver.email]]

    task.on_action(task_state, approver, "approve")
    page.refresh_from_db()
    state.refresh_from_db()
    assert page.live
    assert state.status == WorkflowState.STATUS_APPROVED


def test_rejected_draft_stays_offline(section, editor, approver):
    page = _draft(section)
    state = page.get_workflow().start(page, editor)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, approver, "reject")
    page.refresh_from_db()
    state.refresh_from_db()
    assert not page.live
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES


def test_approver_dashboard_lists_pages_awaiting_review(client, section, editor, approver):
    page = _draft(section)
    page.get_workflow().start(page, editor)
    client.force_login(approver)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert page.title in html
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    # The editor sees the page in their own "in moderation" list, not as something to review.
    assert page.title in html
    assert reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", 1]) not in html


def test_scheduled_page_goes_live_when_the_task_runs(section):
    page = _draft(section)
    page.go_live_at = timezone.now() + timedelta(hours=1)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert not page.live
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None

    publish_scheduled.delay()
    page.refresh_from_db()
    assert not page.live, "published before its time"

    # The time comes: move the schedule into the past rather than wait.
    past = timezone.now() - timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    publish_scheduled.delay()
    page.refresh_from_db()
    assert page.live


def test_expiring_page_goes_offline_when_the_task_runs(section):
    page = _draft(section)
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.live
    page.expire_at = timezone.now() - timedelta(minutes=1)
    page.save(update_fields=["expire_at"])

    publish_scheduled.delay()
    page.refresh_from_db()
    assert not page.live
    assert page.expired


def test_publish_scheduled_runs_from_celery_beat_every_minute(settings):
    entries = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "portal.core.tasks.publish_scheduled"
    ]  # fmt: skip
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    seconds = schedule if isinstance(schedule, (int, float)) else schedule.run_every.total_seconds()
    assert seconds <= 60
