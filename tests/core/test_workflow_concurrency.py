"""Two approvers acting on the same page at once: one approval wins and publishes, the other is
told, never a 500 and never a closed workflow over an unpublished page (PostgreSQL: the race needs
concurrent writers, which SQLite serialises)."""

import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page, PageLogEntry, TaskState, WorkflowState

from portal.core import roles


@pytest.fixture
def approvers(staff_user_factory):
    users = []
    for family, given in (("Trần Văn", "Bình"), ("Lê Thị", "Mai")):
        user = staff_user_factory(groups=[roles.APPROVER])
        user.last_name, user.first_name = family, given
        user.save()
        users.append(user)
    return users


@pytest.fixture
def submitted_page(staff_user_factory):
    editor = staff_user_factory(groups=[roles.EDITOR])
    root = Page.get_first_root_node()
    section = root.add_child(instance=Page(title="Văn bản", slug="van-ban-test"))
    page = section.add_child(
        instance=Page(title="Chỉ thị về phòng dịch", slug="chi-thi", live=False)
    )
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    return page


def _at_once(requests):
    """Run each ``request()`` in its own thread (own database connection), started together."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(index, request):
        try:
            barrier.wait()
            results[index] = request()
        except Exception as error:  # reported by the caller's assertions
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _client(user):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(user)
    return client


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _edit_form(page):
    """What the page editor posts when an approver clicks "Duyệt" there."""
    return {
        "title": page.title,
        "slug": page.slug,
        "action-workflow-action": "1",
        "workflow-action-name": "approve",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }


def _approved_once_and_live(page, task_state):
    page.refresh_from_db()
    state = WorkflowState.objects.get(pk=task_state.workflow_state_id)
    assert state.status == WorkflowState.STATUS_APPROVED
    assert page.live
    assert page.live_revision_id == task_state.revision_id
    assert not page.has_unpublished_changes
    actions = list(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
    assert actions.count("wagtail.workflow.approve") == 1, actions
    assert actions.count("wagtail.publish") == 1, actions


def _one_acted_one_told(responses, approvers, task_state):
    assert all(not isinstance(r, Exception) for r in responses), responses
    assert [r.status_code for r in responses] == [302, 302]
    told = [i for i, r in enumerate(responses) if any("vừa được" in m for m in _messages(r))]
    assert len(told) == 1, [_messages(r) for r in responses]
    winner = approvers[1 - told[0]]
    finished = TaskState.objects.get(pk=task_state.pk)
    assert finished.finished_by == winner
    message = _messages(responses[told[0]])[0]
    assert f"vừa được {winner.last_name} {winner.first_name} duyệt lúc" in message


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_publish_once_and_tell_the_second(
    postgres, approvers, submitted_page
):
    page = submitted_page
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    clients = [_client(user) for user in approvers]

    responses = _at_once([lambda c=c: c.post(url) for c in clients])

    _one_acted_one_told(responses, approvers, task_state)
    _approved_once_and_live(page, task_state)


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_from_the_page_editor_leave_the_page_live(
    postgres, approvers, submitted_page
):
    page = submitted_page
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    clients = [_client(user) for user in approvers]

    responses = _at_once([lambda c=c: c.post(url, _edit_form(page)) for c in clients])

    _one_acted_one_told(responses, approvers, task_state)
    _approved_once_and_live(page, task_state)
    assert page.revisions.count() == 1, "the slower editor saved the page again as a draft"


@pytest.mark.django_db(transaction=True)
def test_a_publish_that_fails_keeps_the_page_waiting_for_approval(
    postgres, approvers, submitted_page
):
    page = submitted_page
    task_state = page.current_workflow_task_state
    # Meanwhile another page under the same parent took the address: publishing must refuse.
    sibling = page.get_parent().add_child(instance=Page(title="Khác", slug="khac"))
    Page.objects.filter(pk=sibling.pk).update(slug=page.slug)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])

    with translation.override("vi"):
        response = _client(approvers[0]).post(url)

    assert response.status_code == 302
    assert "chưa được ghi nhận" in _messages(response)[0]
    page.refresh_from_db()
    task_state.refresh_from_db()
    assert not page.live
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert task_state.workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert page.current_workflow_task_state == task_state
