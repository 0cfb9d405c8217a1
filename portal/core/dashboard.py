"""The admin dashboard per role (bảng điều khiển): what each staff member should do first.

Approvers see the pages awaiting their review before anything else; every role gets a welcome
panel in Vietnamese saying where to start, with links to the admin screens it may open; health
officials see their recent tracing queries (from the audit log). Other apps add their own panels
(dossiers, check-ins) with the same ``construct_homepage_panels`` hook.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import SubmenuMenuItem, admin_menu
from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel

from . import roles
from .display import staff_name
from .models import AuditEntry
from .scope import communes_for

# What each role should do first, in the order shown when a user has several roles.
FIRST_STEPS = {
    roles.APPROVER: _(
        "Pages waiting for your approval are listed first below. Open one, check it with "
        "Preview, then approve and publish it, or request changes with a comment for the editor. "
        "To publish later, set the go-live date in the page's Settings tab before approving."
    ),
    roles.EDITOR: _(
        "Start from Pages: open the News, Directives or App guides section and add a child page. "
        "Save a draft as often as you like; when it is ready, choose Submit for moderation and a "
        "leader approves it before it goes live. Upload photos under Images and signed files "
        "under Documents."
    ),
    roles.COMMUNE_STAFF: _(
        "Register every office, school, market and shop of your commune as a checkpoint, then "
        "download and print its posters. Enter paper declarations from the checkpoint's page. "
        "You only see the checkpoints and check-ins of your commune."
    ),
    roles.ONE_STOP_OFFICER: _(
        "New and overdue dossiers come first. Open a dossier to receive it, request a supplement "
        "or return the result; due dates count working days only."
    ),
    roles.HEALTH_OFFICIAL: _(
        "Use Tracing to list who was at a checkpoint in a time window, where a case went and who "
        "overlapped with them. Every query is recorded in the audit log; your recent queries are "
        "listed below."
    ),
    roles.ADMINISTRATOR: _(
        "Create an account for each staff member under Settings › Users and give it one role "
        "(group). For commune staff, set the communes they may see. The audit log lists every "
        "access to personal data."
    ),
}

# Audit actions of tracing queries: "checkpoints.trace.<mode>[.export.<format>]" (and "trace…").
TRACING_ACTION_PREFIXES = ("trace", "checkpoints.trace")
TRACING_MODES = {
    "visitors": _("Who was at a checkpoint"),
    "person": _("Where a person went"),
    "contacts": _("Who overlapped with a case"),
}
RECENT_TRACING = 10


def tracing_label(action):
    """A readable name for a tracing audit action ("checkpoints.trace.contacts.export.csv")."""
    parts = action.split(".")
    if parts and parts[0] == "checkpoints":
        parts = parts[1:]
    mode = parts[1] if len(parts) > 1 else ""
    label = str(TRACING_MODES.get(mode, _("Tracing query")))
    if "export" in parts:
        fmt = parts[-1].upper() if parts[-1] != "export" else ""
        label = _("%(query)s, exported %(format)s") % {"query": label, "format": fmt}
    return label.strip()


def _shortcuts(request):
    """The admin screens this user may open, as the menu shows them (submenus flattened)."""
    found = []

    def walk(menu, parent_label=""):
        for item in sorted(menu.menu_items_for_request(request), key=lambda i: i.order):
            if isinstance(item, SubmenuMenuItem):
                walk(item.menu, item.label)
            elif item.url and item.url != "#":
                label = f"{parent_label} › {item.label}" if parent_label else str(item.label)
                found.append({"label": label, "url": item.url})

    walk(admin_menu)
    return found


def _roles_of(user):
    names = set(user.groups.values_list("name", flat=True))
    found = [role for role in FIRST_STEPS if role in names]
    if not found and user.is_superuser:
        found = [roles.ADMINISTRATOR]
    return found


class WelcomePanel(Component):
    """Chào mừng: the user's roles, what to do first, and the screens they may open."""

    name = "portal_welcome"
    template_name = "core/admin/welcome_panel.html"
    order = 10

    def __init__(self, user_roles):
        self.user_roles = user_roles

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        user = request.user
        communes = []
        if roles.COMMUNE_STAFF in self.user_roles and not user.is_superuser:
            communes = [c.display_name for c in communes_for(user)]
        return {
            "request": request,
            "display_name": staff_name(user),
            "steps": [{"role": role, "text": FIRST_STEPS[role]} for role in self.user_roles],
            "communes": communes,
            "shortcuts": _shortcuts(request),
        }


class RecentTracingPanel(Component):
    """Truy vết gần đây: the health official's own latest tracing queries."""

    name = "portal_recent_tracing"
    template_name = "core/admin/recent_tracing_panel.html"
    order = 20

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        is_tracing = Q()
        for prefix in TRACING_ACTION_PREFIXES:
            is_tracing |= Q(action__startswith=prefix)
        entries = list(
            AuditEntry.objects.filter(is_tracing, user=request.user).only(
                "created_at", "action", "subject", "record_count"
            )[:RECENT_TRACING]
        )
        for entry in entries:
            entry.label = tracing_label(entry.action)
        return {"request": request, "entries": entries}


@hooks.register("construct_homepage_panels")
def role_dashboard(request, panels):
    user = request.user
    user_roles = _roles_of(user)
    if roles.APPROVER in user_roles:
        # Approvers see what waits for them before anything else, even the welcome.
        for panel in panels:
            if isinstance(panel, WorkflowObjectsToModeratePanel):
                panel.order = 0
    if user_roles:
        panels.append(WelcomePanel(user_roles))
    if roles.HEALTH_OFFICIAL in user_roles or user.has_perm("checkpoints.trace_contacts"):
        panels.append(RecentTracingPanel())
