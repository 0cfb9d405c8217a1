"""Staff accounts: an administrator (Quản trị) cannot make anyone a superuser, touch a superuser,
set another person's password, or grant a group or permission they do not hold, whatever they post
to the Wagtail user and group screens or their bulk actions; Django's admin is not served; every
change of a user's groups, flags or password is in the audit log (portal.core.users)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from portal.core import audit, roles
from portal.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-123"
NOT_HELD = "Bạn không thể trao quyền mà chính bạn không có"
User = get_user_model()


@pytest.fixture
def people(staff_user_factory):
    return {
        "quantri": staff_user_factory(groups=[roles.ADMINISTRATOR], all_communes=True),
        "admin": staff_user_factory(superuser=True),
        "editor": staff_user_factory(groups=[roles.EDITOR]),
        "health": staff_user_factory(groups=[roles.HEALTH_OFFICIAL], all_communes=True),
    }


@pytest.fixture
def as_quantri(client, people):
    client.force_login(people["quantri"])
    return client


def _group(name):
    return Group.objects.get(name=name)


def _user_form(user, **changes):
    """What the Wagtail user edit screen posts for this user, with some changes."""
    data = {
        "username": user.username,
        "email": user.email or f"{user.username}@vinhloc.gov.vn",
        "first_name": user.first_name or "Văn",
        "last_name": user.last_name or "Nam",
        "is_active": "on",
        "groups": [str(g.pk) for g in user.groups.all()],
    }
    data.update(changes)
    return data


def _state(user):
    user = User.objects.get(pk=user.pk)
    return (
        user.is_superuser,
        user.is_active,
        user.password,
        sorted(user.groups.values_list("name", flat=True)),
    )


def _refused(response):
    """The screen answers with its form and an error (200), a 404, or Wagtail's refusal."""
    return response.status_code in (200, 403, 404) or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


# --- Django's admin ---------------------------------------------------------------------------


def test_django_admin_is_not_served(client, people):
    client.force_login(people["quantri"])
    assert client.get("/django-admin/").status_code == 404
    assert client.get(f"/django-admin/auth/user/{people['quantri'].pk}/change/").status_code == 404
    password_url = f"/django-admin/auth/user/{people['admin'].pk}/password/"
    response = client.post(
        password_url, {"password1": "Xx-new-pass-99", "password2": "Xx-new-pass-99"}
    )
    assert response.status_code == 404
    assert User.objects.get(pk=people["admin"].pk).check_password(PASSWORD)
    client.force_login(people["admin"])
    assert client.get("/django-admin/").status_code == 404


# --- The user screens -------------------------------------------------------------------------


def test_superuser_flag_and_passwords_are_not_offered_to_an_administrator(as_quantri, people):
    form = as_quantri.get(reverse("wagtailusers_users:edit", args=[people["editor"].pk])).context[
        "form"
    ]
    assert "is_superuser" not in form.fields
    assert "password1" not in form.fields and "password2" not in form.fields
    assert set(form.fields["groups"].queryset.values_list("name", flat=True)) == {
        roles.EDITOR,
        roles.APPROVER,
        roles.ADMINISTRATOR,
    }
    create = as_quantri.get(reverse("wagtailusers_users:add")).context["form"]
    assert "is_superuser" not in create.fields
    assert roles.HEALTH_OFFICIAL not in set(
        create.fields["groups"].queryset.values_list("name", flat=True)
    )


def test_an_administrator_cannot_make_anyone_a_superuser(as_quantri, people):
    for target in (people["quantri"], people["editor"]):
        before = _state(target)
        url = reverse("wagtailusers_users:edit", args=[target.pk])
        response = as_quantri.post(url, _user_form(target, is_superuser="on"))
        assert response.status_code == 200
        assert "Chỉ quản trị viên cấp cao" in response.content.decode()
        assert _state(target) == before

    data = _user_form(
        people["editor"], username="moi", email="moi@vinhloc.gov.vn", is_superuser="on"
    )
    data.update(password1="Xx-new-pass-99", password2="Xx-new-pass-99", groups=[])
    assert as_quantri.post(reverse("wagtailusers_users:add"), data).status_code == 200
    assert not User.objects.filter(username="moi").exists()


def test_an_administrator_cannot_edit_or_delete_a_superuser(as_quantri, people):
    superuser = people["admin"]
    before = _state(superuser)
    edit = reverse("wagtailusers_users:edit", args=[superuser.pk])
    assert as_quantri.get(edit).status_code == 404
    assert (
        as_quantri.post(
            edit, _user_form(superuser, is_active="", email="x@evil.example")
        ).status_code
        == 404
    )
    delete = reverse("wagtailusers_users:delete", args=[superuser.pk])
    assert as_quantri.post(delete).status_code == 404
    assert _state(superuser) == before
    assert User.objects.get(pk=superuser.pk).email != "x@evil.example"


def test_only_a_superuser_sets_another_staff_member_s_password(client, as_quantri, people):
    editor = people["editor"]
    url = reverse("wagtailusers_users:edit", args=[editor.pk])
    response = as_quantri.post(
        url, _user_form(editor, password1="Xx-new-pass-99", password2="Xx-new-pass-99")
    )
    assert response.status_code == 200
    assert "Chỉ quản trị viên cấp cao mới có thể đặt mật khẩu" in response.content.decode()
    assert User.objects.get(pk=editor.pk).check_password(PASSWORD)
    # Their own password, they may change.
    own = people["quantri"]
    response = as_quantri.post(
        reverse("wagtailusers_users:edit", args=[own.pk]),
        _user_form(own, password1="Xx-new-pass-99", password2="Xx-new-pass-99"),
    )
    assert response.status_code == 302
    assert User.objects.get(pk=own.pk).check_password("Xx-new-pass-99")
    # A superuser may set anyone's.
    client.force_login(people["admin"])
    data = _user_form(editor, password1="Yy-new-pass-77", password2="Yy-new-pass-77")
    assert client.post(url, data).status_code == 302
    assert User.objects.get(pk=editor.pk).check_password("Yy-new-pass-77")


def test_an_administrator_grants_only_groups_whose_permissions_they_hold(as_quantri, people):
    quantri, editor = people["quantri"], people["editor"]
    for target in (quantri, editor):
        before = _state(target)
        url = reverse("wagtailusers_users:edit", args=[target.pk])
        groups = [str(g.pk) for g in target.groups.all()] + [str(_group(roles.HEALTH_OFFICIAL).pk)]
        response = as_quantri.post(url, _user_form(target, groups=groups))
        assert response.status_code == 200
        assert "Bạn không thể cấp nhóm này" in response.content.decode()
        assert _state(target) == before
    # A group whose permissions they hold, they may give.
    url = reverse("wagtailusers_users:edit", args=[editor.pk])
    response = as_quantri.post(url, _user_form(editor, groups=[str(_group(roles.APPROVER).pk)]))
    assert response.status_code == 302
    assert list(editor.groups.values_list("name", flat=True)) == [roles.APPROVER]


def test_an_administrator_cannot_manage_an_account_with_rights_they_lack(as_quantri, people):
    """Changing the e-mail address of a health official, then resetting the password, would hand
    over contact tracing: such accounts are out of reach as a superuser's are."""
    health = people["health"]
    url = reverse("wagtailusers_users:edit", args=[health.pk])
    assert as_quantri.get(url).status_code == 404
    assert as_quantri.post(url, _user_form(health, email="x@evil.example")).status_code == 404
    assert User.objects.get(pk=health.pk).email != "x@evil.example"
    listing = as_quantri.get(reverse("wagtailusers_users:index")).content.decode()
    assert url not in listing
    assert reverse("wagtailusers_users:edit", args=[people["editor"].pk]) in listing


def test_bulk_actions_follow_the_same_rule(as_quantri, people):
    def bulk(action, ids, data):
        url = reverse("wagtail_bulk_action", args=["auth", "user", action])
        return as_quantri.post(url + "?" + "&".join(f"id={pk}" for pk in ids), data)

    quantri, superuser, health = people["quantri"], people["admin"], people["health"]
    before = {u.pk: _state(u) for u in (quantri, superuser, health)}
    # A role they do not hold, given to themselves.
    response = bulk("assign_role", [quantri.pk], {"role": _group(roles.HEALTH_OFFICIAL).pk})
    assert _refused(response)
    # Their own role given to a superuser and to someone with more rights; both deactivated.
    bulk("assign_role", [superuser.pk, health.pk], {"role": _group(roles.ADMINISTRATOR).pk})
    bulk("set_active_state", [superuser.pk, health.pk], {"mark_as_active": "False"})
    bulk("delete", [superuser.pk, health.pk], {})
    assert {u.pk: _state(u) for u in (quantri, superuser, health)} == before
    # What they may do still works, and is audited.
    editor = people["editor"]
    assert bulk("set_active_state", [editor.pk], {"mark_as_active": "False"}).status_code == 302
    assert not User.objects.get(pk=editor.pk).is_active
    assert AuditEntry.objects.filter(
        action="account.flags", subject=editor.username, username=quantri.username
    ).exists()


# --- The group screens ------------------------------------------------------------------------


def _form_data(form):
    data = {}
    for field in form:
        value = field.field.prepare_value(field.value())
        if hasattr(field.field, "queryset") and isinstance(value, list | tuple):
            # Only the choices the screen shows are posted (Wagtail keeps the others).
            shown = {str(field.field.prepare_value(o)) for o in field.field.queryset}
            value = [v for v in value if str(v) in shown]
        if value is None or value is False or value in ("", []):
            continue
        if isinstance(value, list | tuple):
            data[field.html_name] = [str(v) for v in value]
        else:
            data[field.html_name] = "on" if value is True else str(value)
    return data


def _group_post(client, url):
    """What the group screen posts when saved unchanged (the name, permissions and every panel)."""
    context = client.get(url).context
    data = _form_data(context["form"])
    for panel in context["permission_panels"]:
        if hasattr(panel, "management_form"):
            data.update(_form_data(panel.management_form))
            for form in panel.forms:
                data.update(_form_data(form))
        else:
            data.update(_form_data(panel))
    return data


def _grants_of(group):
    group.refresh_from_db()
    return (
        group.name,
        sorted(group.permissions.values_list("codename", flat=True)),
        sorted(
            GroupPagePermission.objects.filter(group=group).values_list(
                "permission__codename", flat=True
            )
        ),
        sorted(
            GroupCollectionPermission.objects.filter(group=group).values_list(
                "permission__codename", flat=True
            )
        ),
    )


def _permission(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_an_administrator_cannot_give_their_group_permissions_they_lack(as_quantri, people):
    group = _group(roles.ADMINISTRATOR)
    url = reverse("wagtailusers_groups:edit", args=[group.pk])
    before = _grants_of(group)
    unchanged = _group_post(as_quantri, url)

    # A model permission (personal data), not even offered.
    form = as_quantri.get(url).context["form"]
    trace = _permission("checkpoints.trace_contacts")
    assert trace not in form.fields["permissions"].queryset
    data = {**unchanged, "permissions": [*unchanged["permissions"], str(trace.pk)]}
    response = as_quantri.post(url, data)
    assert response.status_code == 200
    assert NOT_HELD in str(response.context["form"].errors["permissions"])

    # Deleting whole branches, which they may not do themselves, on the whole tree.
    key = next(
        k for k in unchanged if k.startswith("page_permissions-") and k.endswith("-permissions")
    )
    data = {**unchanged, key: [*unchanged[key], "bulk_delete_page"]}
    response = as_quantri.post(url, data)
    assert response.status_code == 200
    assert NOT_HELD in response.content.decode()

    # Managing collections (add, move, delete), from the root.
    root = Collection.get_first_root_node()
    data = {
        **unchanged,
        "collection_permissions-TOTAL_FORMS": "1",
        "collection_permissions-0-collection": str(root.pk),
        "collection_permissions-0-permissions": [str(_permission("wagtailcore.add_collection").pk)],
    }
    response = as_quantri.post(url, data)
    assert response.status_code == 200
    assert NOT_HELD in response.content.decode()

    assert _grants_of(group) == before
    # Saving it unchanged (or with less) works: the refusals above were about the permissions.
    assert as_quantri.post(url, {**unchanged, "name": "Quản trị cổng"}).status_code == 302
    assert _grants_of(group)[1:] == before[1:]


def test_an_administrator_cannot_create_a_group_beyond_their_rights(as_quantri):
    url = reverse("wagtailusers_groups:add")
    wanted = [_permission("wagtailadmin.access_admin"), _permission("checkpoints.trace_contacts")]
    data = {**_group_post(as_quantri, url), "name": "Truy vết"}
    data["permissions"] = [str(p.pk) for p in wanted]
    assert as_quantri.post(url, data).status_code == 200
    assert not Group.objects.filter(name="Truy vết").exists()


def test_groups_with_rights_an_administrator_lacks_are_out_of_reach(as_quantri):
    health = _group(roles.HEALTH_OFFICIAL)
    before = _grants_of(health)
    url = reverse("wagtailusers_groups:edit", args=[health.pk])
    assert as_quantri.get(url).status_code == 404
    assert as_quantri.post(url, {"name": "Y tế"}).status_code == 404
    assert _grants_of(health) == before


# --- Every other path, and the audit log -----------------------------------------------------


def test_a_request_by_an_administrator_cannot_escalate_through_any_other_view(people):
    """The guard on the models: a view that saves users directly is held to the same rule."""
    quantri, editor = people["quantri"], people["editor"]
    request = RequestFactory().post("/admin/elsewhere/")
    request.user = quantri

    def make_superuser(request):
        quantri.is_superuser = True
        quantri.save()

    def give_tracing(request):
        quantri.groups.add(_group(roles.HEALTH_OFFICIAL))

    def set_password(request):
        editor.set_password("Xx-new-pass-99")
        editor.save()

    for view in (make_superuser, give_tracing, set_password):
        with pytest.raises(PermissionDenied), transaction.atomic():
            audit.RequestContextMiddleware(view)(request)
    assert not User.objects.get(pk=quantri.pk).is_superuser
    assert roles.HEALTH_OFFICIAL not in quantri.groups.values_list("name", flat=True)
    assert User.objects.get(pk=editor.pk).check_password(PASSWORD)


def test_every_change_of_groups_flags_or_password_is_audited(client, people):
    superuser, editor = people["admin"], people["editor"]
    client.force_login(superuser)
    url = reverse("wagtailusers_users:edit", args=[editor.pk])
    data = _user_form(
        editor, groups=[str(_group(roles.APPROVER).pk)], is_active="", is_superuser="on",
        password1="Yy-new-pass-77", password2="Yy-new-pass-77",
    )  # fmt: skip
    assert client.post(url, data, REMOTE_ADDR="203.0.113.9").status_code == 302

    entries = AuditEntry.objects.filter(subject=editor.username, username=superuser.username)
    by_action = {e.action: e for e in entries}
    assert by_action["account.groups"].parameters in (
        {"added": [roles.APPROVER]},
        {"removed": [roles.EDITOR]},
    )
    assert entries.filter(action="account.groups", parameters__removed=[roles.EDITOR]).exists()
    assert entries.filter(action="account.groups", parameters__added=[roles.APPROVER]).exists()
    assert by_action["account.flags"].parameters == {
        "is_superuser": [False, True],
        "is_active": [True, False],
    }
    assert by_action["account.password"].parameters == {}  # never the password or its hash
    assert by_action["account.password"].ip_address == "203.0.113.9"

    # From the shell (no request): recorded too, with nobody named.
    other = people["health"]
    other.groups.clear()
    other.is_staff = False
    other.save()
    shell = AuditEntry.objects.filter(subject=other.username, username="")
    assert shell.filter(
        action="account.groups", parameters__removed=[roles.HEALTH_OFFICIAL]
    ).exists()
    assert shell.filter(action="account.flags", parameters={"is_staff": [True, False]}).exists()


def test_logging_in_is_not_a_change_of_password(people, settings):
    """A login that upgrades the stored hash saves the password field without a new password."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    editor = User.objects.get(pk=people["editor"].pk)
    md5_hash = editor.password
    assert editor.check_password(PASSWORD)
    assert User.objects.get(pk=editor.pk).password != md5_hash  # upgraded and saved
    assert not AuditEntry.objects.filter(action="account.password").exists()
