"""Each role can do its job and nothing beyond it: a permission matrix over admin screens and
model permissions, for users made exactly as the demo users are (one group each)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, Site

from portal.core import roles
from portal.core.roles import setup_roles

pytestmark = pytest.mark.django_db

EDITOR, APPROVER, COMMUNE, ONE_STOP, HEALTH, ADMIN = (
    roles.EDITOR,
    roles.APPROVER,
    roles.COMMUNE_STAFF,
    roles.ONE_STOP_OFFICER,
    roles.HEALTH_OFFICIAL,
    roles.ADMINISTRATOR,
)
ALL = {EDITOR, APPROVER, COMMUNE, ONE_STOP, HEALTH, ADMIN}
CONTENT = {EDITOR, APPROVER}
# Administrators hold what the content roles hold, so that they can give those roles.
CONTENT_ADMIN = CONTENT | {ADMIN}

# Admin screen (URL name, args) -> the roles that may open it; every other role is refused.
SCREENS = [
    ("wagtailadmin_home", (), ALL),
    ("wagtailadmin_account", (), ALL),
    ("wagtailadmin_explore_root", (), CONTENT | {ADMIN}),
    ("wagtailimages:index", (), CONTENT_ADMIN),
    ("wagtailimages:add", (), CONTENT_ADMIN),
    ("wagtaildocs:index", (), CONTENT_ADMIN),
    ("wagtaildocs:add", (), CONTENT_ADMIN),
    ("wagtailsnippets_news_meeting:list", (), CONTENT_ADMIN),
    ("wagtailsnippets_news_issuer:list", (), CONTENT_ADMIN),
    ("wagtailsnippets_eservices_procedurearea:list", (), CONTENT_ADMIN),
    ("wagtailusers_users:index", (), {ADMIN}),
    ("wagtailusers_users:add", (), {ADMIN}),
    ("wagtailusers_groups:index", (), {ADMIN}),
    ("wagtailredirects:index", (), {ADMIN}),
    ("wagtailsearchpromotions:index", (), {ADMIN}),
    ("wagtailsettings:edit", ("core", "portalsettings", "SITE"), {ADMIN}),
    ("wagtailadmin_workflows:index", (), set()),
    ("wagtailsites:index", (), set()),
    ("wagtaillocales:index", (), set()),
    ("checkpoints_register:index", (), {COMMUNE, HEALTH}),
    ("checkpoints_register:add", (), {COMMUNE}),
    ("checkpoints_checkins:index", (), {COMMUNE, HEALTH}),
    ("checkpoints_admin:exports", (), {COMMUNE}),
    ("checkpoints_admin:import", (), {COMMUNE}),
    ("checkpoints_admin:scan", (), {COMMUNE}),
    ("checkpoints_admin:trace", (), {HEALTH}),
    ("eservices_admin:list", (), {ONE_STOP}),
]

# Model permissions that tell the roles apart -> the roles that hold them.
PERMISSIONS = [
    ("wagtailadmin.access_admin", ALL),
    ("news.add_meeting", CONTENT_ADMIN),
    ("news.change_issuer", CONTENT_ADMIN),
    ("news.delete_issuer", set()),
    ("checkpoints.add_checkpoint", {COMMUNE}),
    ("checkpoints.change_checkpoint", {COMMUNE}),
    ("checkpoints.delete_checkpoint", set()),
    ("checkpoints.view_checkpoint", {COMMUNE, HEALTH}),
    ("checkpoints.add_checkin", {COMMUNE}),
    ("checkpoints.view_checkin", {COMMUNE, HEALTH}),
    ("checkpoints.change_checkin", set()),
    ("checkpoints.delete_checkin", set()),
    ("checkpoints.add_posterexport", {COMMUNE}),
    ("checkpoints.trace_contacts", {HEALTH}),
    ("eservices.view_dossier", {ONE_STOP}),
    ("eservices.process_dossier", {ONE_STOP}),
    ("eservices.delete_dossier", set()),
    ("eservices.view_healthdeclaration", set()),
    ("auth.change_user", {ADMIN}),
    ("auth.change_group", {ADMIN}),
    ("core.view_auditentry", {ADMIN}),
    ("core.handle_privacy_request", {ADMIN}),
    ("core.change_staffscope", {ADMIN}),
    ("core.change_portalsettings", {ADMIN}),
    ("wagtailredirects.add_redirect", {ADMIN}),
    ("wagtailcore.change_workflow", set()),
]

# Page permissions (granted on the whole tree), on a live news item or on a section with pages
# under it -> the roles that hold them.
PAGE_ACTIONS = [
    ("can_add_subpage", "item", CONTENT | {ADMIN}),
    ("can_edit", "item", CONTENT | {ADMIN}),
    ("can_publish", "item", {APPROVER, ADMIN}),
    ("can_unpublish", "item", {APPROVER, ADMIN}),
    ("can_delete", "item", {APPROVER, ADMIN}),
    ("can_delete", "section", set()),
    ("can_lock", "item", {APPROVER, ADMIN}),
]


@pytest.fixture
def users(staff_user_factory, served_communes):
    """One user per role; the commune officer is scoped to one commune, as in the demo."""
    made = {}
    for role in sorted(ALL):
        communes = served_communes[:1] if role == COMMUNE else ()
        made[role] = staff_user_factory(
            groups=[role], communes=communes, all_communes=role in (ONE_STOP, HEALTH, ADMIN)
        )
    return made


def test_every_role_exists_with_every_permission_it_names():
    missing = setup_roles()
    assert missing == {}, f"permissions named in roles.py that no app defines: {missing}"
    assert set(Group.objects.values_list("name", flat=True)) >= ALL


def test_setup_roles_is_idempotent_and_repairs_drift():
    setup_roles()
    editor = Group.objects.get(name=EDITOR)
    before = set(editor.permissions.values_list("codename", flat=True))
    editor.permissions.add(*Group.objects.get(name=ADMIN).permissions.all())
    root = Page.get_first_root_node()
    GroupPagePermission.objects.create(
        group=editor, page=root, permission_id=GroupPagePermission.objects.filter(
            group__name=APPROVER, permission__codename="publish_page"
        ).values_list("permission_id", flat=True).first(),
    )  # fmt: skip
    setup_roles()
    assert set(editor.permissions.values_list("codename", flat=True)) == before
    assert not GroupPagePermission.objects.filter(
        group=editor, permission__codename="publish_page"
    ).exists()


@pytest.mark.parametrize(("url_name", "args", "allowed"), SCREENS, ids=[s[0] for s in SCREENS])
def test_admin_screen_opens_only_for_its_roles(client, users, url_name, args, allowed):
    if "SITE" in args:
        site = Site.objects.get_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "root_page": Page.get_first_root_node()},
        )[0]
        args = [site.pk if a == "SITE" else a for a in args]
    url = reverse(url_name, args=args)
    for role, user in users.items():
        client.force_login(user)
        status = client.get(url).status_code
        if role in allowed:
            assert status == 200, f"{role} should open {url_name}, got {status}"
        else:
            assert status in (302, 403), f"{role} should not open {url_name}, got {status}"


@pytest.mark.parametrize(("perm", "allowed"), PERMISSIONS, ids=[p[0] for p in PERMISSIONS])
def test_model_permission_held_only_by_its_roles(users, perm, allowed):
    holders = {role for role, user in users.items() if user.has_perm(perm)}
    assert holders == allowed


@pytest.mark.parametrize(
    ("action", "target", "allowed"), PAGE_ACTIONS, ids=[f"{a[0]}-{a[1]}" for a in PAGE_ACTIONS]
)
def test_page_permission_held_only_by_its_roles(users, action, target, allowed):
    from portal.home.models import HomePage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Trang chủ", slug="trang-chu-quyen"))
    section = home.add_child(instance=Page(title="Tin tức", slug="tin-tuc"))
    item = section.add_child(instance=Page(title="Tin", slug="tin"))
    page = item if target == "item" else section
    holders = {
        role for role, user in users.items() if getattr(page.permissions_for_user(user), action)()
    }
    assert holders == allowed


def test_administrators_give_the_content_roles_and_their_own_not_those_of_personal_data(users):
    """A role can be given only by someone holding all its permissions (portal.core.users)."""
    from portal.core.users import Grants

    grants = Grants(users[ADMIN])
    assert {g.name for g in Group.objects.all() if grants.holds_group(g)} == {
        EDITOR,
        APPROVER,
        ADMIN,
    }


def test_commune_officer_sees_only_their_commune_checkpoints(client, users, served_communes):
    from portal.checkpoints.models import Checkpoint

    own, other = served_communes[0], served_communes[1]
    mine = Checkpoint.objects.create(name="UBND thị trấn", kind=_kind(), commune=own)
    theirs = Checkpoint.objects.create(name="Chợ xã bên", kind=_kind(), commune=other)
    client.force_login(users[COMMUNE])
    html = client.get(reverse("checkpoints_register:index")).content.decode()
    assert mine.name in html
    assert theirs.name not in html
    assert client.get(reverse("checkpoints_register:edit", args=[theirs.pk])).status_code in (
        302,
        403,
        404,
    )
    assert client.get(reverse("checkpoints_register:edit", args=[mine.pk])).status_code == 200


def _kind():
    from portal.checkpoints.models import Checkpoint

    return Checkpoint._meta.get_field("kind").choices[0][0]


@pytest.mark.django_db
def test_a_role_is_never_set_up_without_a_permission_it_names():
    from django.contrib.auth.models import Permission

    from portal.core.roles import permissions, required_permissions

    found, absent = permissions(["wagtailcore.add_page", "wagtailcore.no_such_thing"])
    assert [p.codename for p in found] == ["add_page"] and absent == ["wagtailcore.no_such_thing"]
    with pytest.raises(Permission.DoesNotExist, match="wagtailcore.no_such_thing"):
        required_permissions(["wagtailcore.add_page", "wagtailcore.no_such_thing"])
