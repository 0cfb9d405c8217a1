"""Staff accounts (tài khoản cán bộ): who may create, change and grant what, and an audit entry for
every change of a user's groups, flags or password.

The rule, in one place (``Grants``):

- a superuser may do anything;
- anyone else manages only accounts that hold nothing they do not hold themselves: never a
  superuser, never someone with a group or permission they lack (changing that account's e-mail
  address and asking for a password reset would otherwise hand them its rights);
- they grant only groups whose permissions they all hold (model permissions, and page, collection
  and site permissions on the same node or one above it), and give a group only permissions they
  hold;
- they never grant the superuser flag and never set another person's password (everyone changes
  their own; a forgotten password is reset by e-mail or by a superuser).

The Wagtail user and group screens (``UserViewSet``, ``GroupViewSet``, installed by
``portal.core.users_config.UsersConfig``) and their bulk actions do not offer what the user may not
set and refuse it when it is posted anyway; out-of-reach accounts and groups answer 404. For every
other path (another view, a future screen) the model signals below refuse the same changes when
they come from a request by someone who is not a superuser, and record every change, shell
included, in the audit log (``portal.core.audit``).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import TitleColumn
from wagtail.contrib.settings.forms import SitePermissionForm
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
    Site,
)
from wagtail.users import forms as wagtail_forms
from wagtail.users.views import groups as group_views
from wagtail.users.views import users as user_views
from wagtail.users.views.bulk_actions import (
    AssignRoleBulkAction,
    DeleteBulkAction,
    SetActiveStateBulkAction,
)

from . import audit

FLAGS = ("is_superuser", "is_staff", "is_active")

SUPERUSER_ONLY = _("Only a superuser can make an account a superuser.")
NOT_YOUR_PASSWORD = _(
    "Only a superuser can set another staff member's password. They can reset it themselves "
    "with “Forgotten password?” on the login page."
)
GROUP_NOT_HELD = _(
    "You cannot grant this group: it gives permissions you do not hold. Ask a superuser."
)
PERMISSION_NOT_HELD = _("You cannot give a permission you do not hold. Ask a superuser.")
PERMISSIONS_NOT_HELD = _(
    "You cannot give permissions you do not hold: %(permissions)s. Ask a superuser."
)


# --- The rule ----------------------------------------------------------------------------------


def _dotted(permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def group_grants(group):
    """What a group gives: its model permissions, and (page/collection/site, permission) pairs."""
    model = list(group.permissions.select_related("content_type"))
    nodes = [
        (p.page, p.permission)
        for p in GroupPagePermission.objects.filter(group=group).select_related(
            "page", "permission__content_type"
        )
    ]
    nodes += [
        (p.collection, p.permission)
        for p in GroupCollectionPermission.objects.filter(group=group).select_related(
            "collection", "permission__content_type"
        )
    ]
    nodes += [
        (p.site, p.permission)
        for p in GroupSitePermission.objects.filter(group=group).select_related(
            "site", "permission__content_type"
        )
    ]
    return model, nodes


class Grants:
    """What one user holds, and so what they may grant and whom they may manage.

    Made once per request or form; the answers are cached, as a listing asks for every row.
    """

    def __init__(self, user):
        self.user = user
        active = user is not None and user.is_authenticated and user.is_active
        self.active = active
        self.superuser = active and user.is_superuser
        self._groups = {}

    @cached_property
    def _model_permissions(self) -> set[str]:
        return self.user.get_all_permissions() if self.active else set()

    @cached_property
    def _group_ids(self) -> list[int]:
        return list(self.user.groups.values_list("pk", flat=True)) if self.active else []

    def holds(self, permission) -> bool:
        """A model permission (``Permission`` or "app_label.codename")."""
        name = permission if isinstance(permission, str) else _dotted(permission)
        return self.superuser or name in self._model_permissions

    def holds_on(self, node, permission) -> bool:
        """A permission on a page, collection or site: given on that node or on one above it."""
        if self.superuser:
            return True
        if not self.active:
            return False
        if isinstance(node, Page | Collection):
            paths = [node.path[: depth * node.steplen] for depth in range(1, node.depth + 1)]
            model, field = (
                (GroupPagePermission, "page")
                if isinstance(node, Page)
                else (GroupCollectionPermission, "collection")
            )
            return model.objects.filter(
                group__in=self._group_ids, permission=permission, **{f"{field}__path__in": paths}
            ).exists()
        if isinstance(node, Site):
            return (
                self.holds(permission)
                or GroupSitePermission.objects.filter(
                    group__in=self._group_ids, site=node, permission=permission
                ).exists()
            )
        return False

    def missing(self, model_permissions=(), node_permissions=()) -> list[str]:
        """The names of the permissions among these that the user does not hold."""
        names = [p.name for p in model_permissions if not self.holds(p)]
        names += [f"{p.name} ({n})" for n, p in node_permissions if not self.holds_on(n, p)]
        return names

    def holds_group(self, group) -> bool:
        if self.superuser:
            return True
        if group.pk not in self._groups:
            self._groups[group.pk] = self.active and not self.missing(*group_grants(group))
        return self._groups[group.pk]

    def can_manage(self, account) -> bool:
        """Whether the user may edit, deactivate or delete this account, or change its groups."""
        if self.superuser:
            return True
        if not self.active or account.is_superuser:
            return False
        return all(self.holds_group(g) for g in account.groups.all()) and all(
            self.holds(p) for p in account.user_permissions.all()
        )

    def grantable_groups(self, queryset=None):
        queryset = Group.objects.all() if queryset is None else queryset
        if self.superuser:
            return queryset
        return queryset.filter(pk__in=[g.pk for g in queryset if self.holds_group(g)])


def _grants(request) -> Grants:
    if not hasattr(request, "_portal_grants"):
        request._portal_grants = Grants(request.user)
    return request._portal_grants


# --- The user and group forms -----------------------------------------------------------------


class AccountFormMixin:
    """Offers someone who is not a superuser only what they may set; refuses the rest if posted."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.grants = Grants(for_user) if for_user is not None else None
        if self.grants is None or self.grants.superuser:
            return
        self.fields.pop("is_superuser", None)
        if self.instance.pk is not None and self.instance.pk != for_user.pk:
            self.fields.pop("password1", None)
            self.fields.pop("password2", None)
        if "groups" in self.fields:
            field = self.fields["groups"]
            field.queryset = self.grants.grantable_groups(field.queryset)
            field.error_messages = {**field.error_messages, "invalid_choice": GROUP_NOT_HELD}

    @property
    def password_enabled(self):
        # Wagtail's form reads this to save the password: false once the fields are taken away.
        return super().password_enabled and "password1" in self.fields

    def clean(self):
        cleaned = super().clean()
        if self.grants is not None and not self.grants.superuser:
            if self._posted("is_superuser"):
                self.add_error(None, SUPERUSER_ONLY)
            if "password1" not in self.fields and (
                self._posted("password1") or self._posted("password2")
            ):
                self.add_error(None, NOT_YOUR_PASSWORD)
        return cleaned

    def _posted(self, name) -> bool:
        return bool(self.is_bound and self.data.get(self.add_prefix(name)))


class UserCreationForm(AccountFormMixin, wagtail_forms.UserCreationForm):
    pass


class UserEditForm(AccountFormMixin, wagtail_forms.UserEditForm):
    pass


class GroupForm(wagtail_forms.GroupForm):
    """Offers someone who is not a superuser only the model permissions they hold."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.grants = Grants(for_user) if for_user is not None else None
        if self.grants is not None and not self.grants.superuser:
            field = self.fields["permissions"]
            field.queryset = field.queryset.filter(
                pk__in=[p.pk for p in field.queryset if self.grants.holds(p)]
            )
            field.error_messages = {**field.error_messages, "invalid_choice": PERMISSION_NOT_HELD}


def requested_node_permissions(panels):
    """The (page/collection/site, permission) pairs that the group screen's panels would give.

    ``None`` when a panel is of a kind not known here: then nothing is granted unverified.
    """
    pairs = []
    for panel in panels:
        if isinstance(panel, SitePermissionForm):
            pairs += [(site, panel.permission) for site in panel.cleaned_data.get("sites", [])]
        elif hasattr(panel, "forms") and hasattr(panel, "deleted_forms"):
            for form in panel.forms:
                data = getattr(form, "cleaned_data", {})
                node = data.get("page") or data.get("collection")
                if form in panel.deleted_forms or node is None:
                    continue
                pairs += [(node, permission) for permission in data.get("permissions", [])]
        else:
            return None
    return pairs


# --- The Wagtail screens ------------------------------------------------------------------------


class _ForUserFormMixin:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}


class _ManagedAccountMixin:
    """An account the user may not manage is not found."""

    def get_object(self, queryset=None):
        account = super().get_object(queryset)
        if not _grants(self.request).can_manage(account):
            raise Http404
        return account


class UserIndexView(user_views.IndexView):
    """Accounts out of reach are listed (so that nobody creates them twice), without links."""

    def get_base_queryset(self):
        # Each row asks whether it may be managed: groups and permissions in one query each.
        return (
            super()
            .get_base_queryset()
            .prefetch_related(
                "groups",
                Prefetch("user_permissions", Permission.objects.select_related("content_type")),
            )
        )

    def get_edit_url(self, instance):
        if _grants(self.request).can_manage(instance):
            return super().get_edit_url(instance)

    def get_delete_url(self, instance):
        if _grants(self.request).can_manage(instance):
            return super().get_delete_url(instance)


class UserCreateView(_ForUserFormMixin, user_views.CreateView):
    pass


class UserEditView(_ManagedAccountMixin, _ForUserFormMixin, user_views.EditView):
    pass


class UserDeleteView(_ManagedAccountMixin, user_views.DeleteView):
    pass


class UserViewSet(user_views.UserViewSet):
    index_view_class = UserIndexView
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView

    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm


class _GroupPermissionsMixin(_ForUserFormMixin):
    """The group screen gives only permissions the user holds (model, page, collection, site)."""

    def is_valid(self, form):
        if not super().is_valid(form):
            return False
        grants = _grants(self.request)
        if grants.superuser:
            return True
        pairs = requested_node_permissions(self.permission_panel_forms)
        missing = (
            [str(PERMISSION_NOT_HELD)]
            if pairs is None
            else grants.missing(form.cleaned_data.get("permissions", []), pairs)
        )
        if missing:
            form.add_error(None, PERMISSIONS_NOT_HELD % {"permissions": "; ".join(missing)})
            self.produced_error_message = self.get_error_message()
            return False
        return True


class _HeldGroupMixin:
    def get_object(self, queryset=None):
        group = super().get_object(queryset)
        if not _grants(self.request).holds_group(group):
            raise Http404
        return group


class GroupIndexView(group_views.IndexView):
    @cached_property
    def columns(self):
        # Wagtail's name column, linked only for the groups this user may edit.
        (name,) = group_views.IndexView.columns
        return [
            TitleColumn(
                name.name, label=name.label, sort_key=name.sort_key, get_url=self._edit_url_if_held
            )
        ]

    def _edit_url_if_held(self, group):
        if _grants(self.request).holds_group(group):
            return self.get_edit_url(group)


class GroupCreateView(_GroupPermissionsMixin, group_views.CreateView):
    pass


class GroupEditView(_HeldGroupMixin, _GroupPermissionsMixin, group_views.EditView):
    pass


class GroupDeleteView(_HeldGroupMixin, group_views.DeleteView):
    pass


class GroupViewSet(group_views.GroupViewSet):
    index_view_class = GroupIndexView
    add_view_class = GroupCreateView
    edit_view_class = GroupEditView
    delete_view_class = GroupDeleteView

    def get_form_class(self, for_update=False):
        return GroupForm


# Bulk actions on the user listing: the same rule for each selected account and each role.
# Registered after Wagtail's (a higher order), so they replace them.


class PortalAssignRoleBulkAction(AssignRoleBulkAction):
    def check_perm(self, obj):
        return super().check_perm(obj) and _grants(self.request).can_manage(obj)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        field = form.fields["role"]
        field.queryset = _grants(self.request).grantable_groups(field.queryset)
        field.error_messages = {**field.error_messages, "invalid_choice": GROUP_NOT_HELD}
        return form


class PortalSetActiveStateBulkAction(SetActiveStateBulkAction):
    def check_perm(self, obj):
        return super().check_perm(obj) and _grants(self.request).can_manage(obj)

    @classmethod
    def execute_action(cls, objects, mark_as_active=False, model=None, user=None, **kwargs):
        # One save per account rather than a bulk update, so each change is audited.
        changed = 0
        for account in objects:
            if (user is None or account.pk != user.pk) and account.is_active != mark_as_active:
                account.is_active = mark_as_active
                account.save(update_fields=["is_active"])
                changed += 1
        return changed, 0


class PortalDeleteBulkAction(DeleteBulkAction):
    def check_perm(self, obj):
        return super().check_perm(obj) and _grants(self.request).can_manage(obj)


for _action in (PortalAssignRoleBulkAction, PortalSetActiveStateBulkAction, PortalDeleteBulkAction):
    hooks.register("register_bulk_action", _action, order=100)


# --- Every other path: the guard and the audit on the models ------------------------------------


def _restricted_actor():
    """What the user making the current request holds, when they are not a superuser (else None).

    Read from the database, not from ``request.user``: a view may be saving that very object with
    the flag it is not allowed to set.
    """
    request = audit.current_request()
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(request, "_portal_guard_grants"):
        stored = get_user_model()._default_manager.filter(pk=user.pk).first()
        request._portal_guard_grants = Grants(stored)
    grants = request._portal_guard_grants
    return None if grants.superuser or grants.user is None else grants


def _audit(account, action, parameters):
    audit.record(audit.current_request(), action, account.get_username(), parameters=parameters)


def _before_user_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    old = sender._default_manager.filter(pk=instance.pk).first() if instance.pk else None
    changes = {}
    if old is None:
        changes["created"] = {flag: getattr(instance, flag) for flag in FLAGS}
    else:
        flags = {
            flag: [getattr(old, flag), getattr(instance, flag)]
            for flag in FLAGS
            if getattr(old, flag) != getattr(instance, flag)
        }
        if flags:
            changes["flags"] = flags
        # A hash upgraded at login (check_password saves only the password, without a new
        # one being set) is not a change of password.
        rehash = set(update_fields or ()) == {"password"} and not getattr(
            instance, "_password", None
        )
        if old.password != instance.password and not rehash:
            changes["password"] = True
    grants = _restricted_actor()
    if grants is not None and changes:
        own = old is not None and old.pk == grants.user.pk
        if (
            (old is not None and not own and not grants.can_manage(old))
            or (instance.is_superuser and not (old is not None and old.is_superuser))
            or (changes.get("password") and not own)
        ):
            raise PermissionDenied
    instance._portal_account_changes = changes


def _after_user_save(sender, instance, created=False, raw=False, **kwargs):
    changes = instance.__dict__.pop("_portal_account_changes", None) or {}
    if "created" in changes:
        _audit(instance, "account.created", changes["created"])
    if "flags" in changes:
        _audit(instance, "account.flags", changes["flags"])
    if changes.get("password"):
        _audit(instance, "account.password", {})


def _after_user_delete(sender, instance, **kwargs):
    _audit(instance, "account.deleted", {})


def _groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """user.groups.add/remove/set/clear, and group.user_set.add/... (the bulk "assign role")."""
    if action == "pre_clear":
        # Clearing sends no primary keys: note what goes, to check and record it.
        related = instance.user_set if reverse else instance.groups
        instance._portal_cleared = set(related.values_list("pk", flat=True))
        action, pk_set = "pre_remove", instance._portal_cleared
    elif action == "post_clear":
        action, pk_set = "post_remove", instance.__dict__.pop("_portal_cleared", set())
    if action not in ("pre_add", "pre_remove", "post_add", "post_remove") or not pk_set:
        return
    if reverse:
        pairs = [(a, instance) for a in get_user_model()._default_manager.filter(pk__in=pk_set)]
    else:
        pairs = [(instance, g) for g in Group.objects.filter(pk__in=pk_set)]

    if action.startswith("pre_"):
        grants = _restricted_actor()
        if grants is not None:
            for account, group in pairs:
                if account.pk != grants.user.pk and not grants.can_manage(account):
                    raise PermissionDenied
                if action == "pre_add" and not grants.holds_group(group):
                    raise PermissionDenied
        return

    key = "added" if action == "post_add" else "removed"
    by_account = {}
    for account, group in pairs:
        by_account.setdefault(account.pk, (account, []))[1].append(group.name)
    for account, names in by_account.values():
        _audit(account, "account.groups", {key: sorted(names)})


def connect_signals():
    User = get_user_model()
    pre_save.connect(_before_user_save, sender=User, dispatch_uid="portal-account-guard")
    post_save.connect(_after_user_save, sender=User, dispatch_uid="portal-account-audit")
    post_delete.connect(_after_user_delete, sender=User, dispatch_uid="portal-account-deleted")
    m2m_changed.connect(
        _groups_changed, sender=User.groups.through, dispatch_uid="portal-account-groups"
    )
