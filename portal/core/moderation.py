"""Workflow actions on a page happen one at a time.

Wagtail reads a page's task state, then approves it, closes the workflow and publishes, without
a lock: two approvers clicking "Duyệt" within a second both approve, both close the workflow, and
the editor's form of the slower one can write the page back as a draft after the other published.
Every write the page editor and the workflow action view make (approve, request changes, submit,
cancel, publish, save) therefore runs in one transaction that first locks the page's row. The second
request waits for the first, then finds the task already done and is told so in Vietnamese instead
of acting again. A publish that fails inside an approval rolls the approval back with it: the
workflow is never closed over a page that did not go live.

``ModeratedPageViewSet`` puts the lock around Wagtail's own views for every page type.
"""

import logging
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.utils import get_latest_str, get_valid_next_url_from_request
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page, TaskState

from .display import local_display, staff_name

logger = logging.getLogger(__name__)


def _done_message(page, task_state) -> str:
    """What the slower approver is told: who acted on the page's task, and when."""
    values = {
        "title": get_latest_str(page),
        "name": staff_name(task_state.finished_by) if task_state.finished_by else _("someone"),
        "time": local_display(task_state.finished_at),
    }
    if task_state.status == TaskState.STATUS_APPROVED:
        return (
            _("“%(title)s” was just approved by %(name)s at %(time)s; your action was not needed.")
            % values
        )
    if task_state.status == TaskState.STATUS_REJECTED:
        return (
            _(
                "“%(title)s” was just sent back for changes by %(name)s at %(time)s; "
                "your action was not carried out."
            )
            % values
        )
    return (
        _(
            "“%(title)s” is no longer waiting for this approval (the request was withdrawn or "
            "restarted); your action was not carried out."
        )
        % values
    )


def _finished_task(page, task_state_id=None):
    """The task state the request meant to act on, if someone has already finished it."""
    if task_state_id is not None:
        task_state = (
            TaskState.objects.for_instance(page)
            .select_related("finished_by")
            .filter(pk=task_state_id)
            .first()
        )
    elif page.workflow_in_progress:
        return None
    else:
        # The editor's form does not name its task: the page's latest one, if it has ended.
        task_state = (
            TaskState.objects.for_instance(page)
            .select_related("finished_by")
            .order_by("-started_at", "-pk")
            .first()
        )
    if task_state is None or task_state.status == TaskState.STATUS_IN_PROGRESS:
        return None
    return task_state


def _answer(request, url, message):
    messages.error(request, message)
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        # The action dialog follows "redirect" and the message shows on that page.
        return render_modal_workflow(
            request, "", None, {}, json_data={"step": "success", "redirect": url}
        )
    return redirect(url)


def one_at_a_time(view):
    """Run a POST to a page's editor or workflow action under a lock on the page's row."""

    @wraps(view)
    def locked(request, *args, page_id, **kwargs):
        if request.method != "POST":
            return view(request, *args, page_id=page_id, **kwargs)
        edit_url = reverse("wagtailadmin_pages:edit", args=[page_id])
        task_state_id = kwargs.get("task_state_id")
        acting = task_state_id is not None or "action-workflow-action" in request.POST
        try:
            with transaction.atomic():
                page = Page.objects.select_for_update().filter(pk=page_id).first()
                if page is not None and acting:
                    done = _finished_task(page, task_state_id)
                    if done is not None:
                        url = get_valid_next_url_from_request(request) or edit_url
                        return _answer(request, url, _done_message(page, done))
                return view(request, *args, page_id=page_id, **kwargs)
        except ValidationError as error:
            # Raised while publishing (a sibling took the slug meanwhile...): nothing was kept.
            logger.warning("workflow action on page %s rolled back: %s", page_id, error)
            problems = " ".join(error.messages)
            return _answer(
                request,
                edit_url,
                _(
                    "The page could not be published, so the approval was not recorded and the "
                    "page still waits for approval: %(problems)s"
                )
                % {"problems": problems},
            )

    return locked


class ModeratedPageViewSet(PageViewSet):
    """Wagtail's page views, with the editor and the workflow action view locked per page."""

    @cached_property
    def edit_view(self):
        return one_at_a_time(self.construct_view(self.edit_view_class))

    @cached_property
    def workflow_action_view(self):
        return one_at_a_time(self.construct_view(self.workflow_action_view_class))

    # Registered (with the explorer's scoped filters) as ``page_explorer.ScopedPageViewSet``: one
    # viewset for the base Page model, after Wagtail's own, used by every page type.
