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


SITE_WORKFLOW_NAME = "Quy trình duyệt – {name}"
SITE_TASK_NAME = "Lãnh đạo duyệt tin – {name}"


@transaction.atomic
def ensure_site_workflow(home, approvers, name) -> bool:
    """A unit's site's own workflow on its root page: the same single approval step, by the site's
    approvers. A group approval task lets its groups act on every page it is assigned to,
    whatever their page permissions, so one task shared by every site would let one commune's
    leaders approve another's pages; the nearest workflow up the tree wins, so the site's covers
    its pages and the district's the rest. Returns True when something was made or repaired."""
    changed = False
    task_name = SITE_TASK_NAME.format(name=name)
    task = GroupApprovalTask.objects.filter(name=task_name).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=task_name)
        changed = True
    if not task.active:
        task.active = True
        task.save(update_fields=["active"])
        changed = True
    if list(task.groups.all()) != [approvers]:
        task.groups.set([approvers])
        changed = True
    workflow, made = Workflow.objects.get_or_create(name=SITE_WORKFLOW_NAME.format(name=name))
    changed = changed or made
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
        changed = True
    _wt, made = WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )
    changed = changed or made
    current = WorkflowPage.objects.filter(page=home).first()
    if current is None or current.workflow_id != workflow.pk:
        WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
        changed = True
    return changed
