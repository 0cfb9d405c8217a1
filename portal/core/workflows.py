"""The moderation workflow (quy trình duyệt): an editor's draft goes to the approvers, who approve
and publish it or send it back with a comment.

One workflow with one group approval task, assigned to the root of the page tree so every page
the editors write (news, directives, guides, procedures and their forms) is covered, whatever
section it is created in and whenever. ``ensure_moderation_workflow`` is idempotent and runs after
every migrate (``bootstrap.ensure_base_data``).
"""

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowTask

from . import roles

WORKFLOW_NAME = "Quy trình duyệt tin bài và văn bản"
TASK_NAME = "Lãnh đạo duyệt tin"

# Wagtail's migrations create these for a blank site; the portal's roles replace them.
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"
WAGTAIL_DEFAULT_GROUPS = ("Moderators", "Editors")


@transaction.atomic
def ensure_moderation_workflow():
    """Create or repair the workflow; return it (None before the page tree exists)."""
    root = Page.get_first_root_node()
    if root is None:
        return None
    approvers, _ = Group.objects.get_or_create(name=roles.APPROVER)

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    if not task.active:
        task.active = True
        task.save(update_fields=["active"])
    task.groups.set([approvers])

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})

    # Wagtail's own default workflow would otherwise still be offered in the admin.
    default = Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW).first()
    if default is not None and not default.workflow_pages.exists():
        default.deactivate()
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS, user__isnull=True).delete()
    return workflow
