"""Demo content shared by every app: administrative units, the site, its settings, users.

Each app may have a ``demo.py`` with ``ORDER`` (int) and ``load(ctx)``; ``load_demo_content`` runs
them in order. ``ctx`` is a dict the loaders share (the home page, the admin user...). Every loader
must be idempotent: running the command twice changes nothing the second time.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Locale, Page

from . import roles
from .models import AdministrativeUnit, PortalSettings, StaffScope
from .sites import default_site

ORDER = 0
DEMO_ADMIN = {"username": "admin", "password": "vinhloc-demo-2021"}

# One demo user per role (README lists them); they share the demo admin's password.
DEMO_USERS = [
    ("bientap", roles.EDITOR),
    ("duyettin", roles.APPROVER),
    ("canboxa", roles.COMMUNE_STAFF),
    ("motcua", roles.ONE_STOP_OFFICER),
    ("yte", roles.HEALTH_OFFICIAL),
    ("quantri", roles.ADMINISTRATOR),
]
# (họ và tên đệm, tên) = (last_name, first_name), as the account form asks ("Họ", "Tên");
# display.staff_name writes them back in Vietnamese order: "Nguyễn Thị Hoa".
DEMO_NAMES = {
    "bientap": ("Nguyễn Thị", "Hoa"),
    "duyettin": ("Trần Văn", "Bình"),
    "canboxa": ("Lê Thị", "Mai"),
    "motcua": ("Phạm Văn", "Đức"),
    "yte": ("Hoàng Thị", "Lan"),
    "quantri": ("Đỗ Văn", "Nam"),
}

HOTLINES = [
    ("Đường dây nóng phòng, chống dịch huyện Vĩnh Lộc", "0237 3870 115"),
    ("Trung tâm Y tế huyện Vĩnh Lộc", "0237 3870 206"),
    ("Tổng đài Bộ Y tế", "1900 9095"),
]


def load(ctx):
    if not AdministrativeUnit.objects.filter(code=settings.PORTAL_UNIT_CODE).exists():
        call_command("sync_admin_units", verbosity=0)
    for code, _name in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)

    User = get_user_model()
    admin, created = User.objects.get_or_create(
        username=DEMO_ADMIN["username"],
        defaults={"is_staff": True, "is_superuser": True, "email": "admin@vinhloc.example"},
    )
    if created:
        admin.last_name, admin.first_name = "Quản trị", "cổng thông tin"
        admin.set_password(DEMO_ADMIN["password"])
        admin.save()
    ctx["admin"] = admin

    roles.setup_roles()
    first_commune = AdministrativeUnit.objects.served().first()
    for username, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True, "email": f"{username}@vinhloc.example"}
        )
        if created:
            user.last_name, user.first_name = DEMO_NAMES[username]
            user.set_password(DEMO_ADMIN["password"])
            user.save()
            user.groups.add(Group.objects.get(name=role))
        elif (user.first_name, user.last_name) == DEMO_NAMES[username]:
            # Loaded by an earlier version, which had the two fields the other way round.
            user.last_name, user.first_name = DEMO_NAMES[username]
            user.save(update_fields=["first_name", "last_name"])
        scope, _ = StaffScope.objects.get_or_create(user=user)
        if role == roles.COMMUNE_STAFF:
            scope.communes.set([first_commune])
        elif role in (roles.HEALTH_OFFICIAL, roles.ONE_STOP_OFFICER, roles.ADMINISTRATOR):
            if not scope.all_communes:
                scope.all_communes = True
                scope.save()
    ctx["demo_users"] = {u.username: u for u in User.objects.filter(username__in=DEMO_NAMES)}

    site = default_site()
    ctx["site"] = site
    ctx["root"] = Page.get_first_root_node()
    return ctx


def load_settings(site):
    """The site's contact settings; called once the default site exists."""
    portal_settings = PortalSettings.for_site(site)
    if not portal_settings.phone:
        portal_settings.phone = "0237 3870 105"
        portal_settings.email = "vanphong@vinhloc.thanhhoa.gov.vn"
        portal_settings.responsible_person = (
            "Trung tâm Văn hóa, Thông tin, Thể thao và Du lịch huyện Vĩnh Lộc"
        )
        portal_settings.hotlines = [
            ("hotline", {"label": label, "number": number}) for label, number in HOTLINES
        ]
        portal_settings.save()
    return portal_settings


# Commune sites of the demo, each with its own editor: (unit code, editor, (họ và tên đệm, tên)).
DEMO_UNIT_SITES = [
    ("15349", "bientap_vinhloc", ("Vũ Thị", "Hạnh")),  # Thị trấn Vĩnh Lộc
    ("15358", "bientap_vinhtien", ("Bùi Văn", "Toàn")),  # Xã Vĩnh Tiến
    ("15388", "bientap_vinhthinh", ("Trịnh Thị", "Ngọc")),  # Xã Vĩnh Thịnh
]
# Each demo commune's own hotlines: its health station and its People's Committee.
DEMO_UNIT_HOTLINES = {
    "15349": ("0237 3870 221", "0237 3870 115"),
    "15358": ("0237 3871 302", "0237 3871 300"),
    "15388": ("0237 3872 406", "0237 3872 400"),
}


def load_unit_sites(ctx):
    """The demo's commune sites, made by the same service as ``manage.py create_unit_site``, and
    one editor per site (a member of that site's editors' group only). Called once the parent
    site exists; returns {unit code: UnitSite}."""
    from .unit_sites import ensure_unit_site

    User = get_user_model()
    made = {}
    for code, username, (last_name, first_name) in DEMO_UNIT_SITES:
        unit = AdministrativeUnit.objects.get(code=code)
        result = ensure_unit_site(unit)
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True, "email": f"{username}@vinhloc.example"}
        )
        if created:
            user.last_name, user.first_name = last_name, first_name
            user.set_password(DEMO_ADMIN["password"])
            user.save()
        user.groups.add(result.editors)
        portal_settings = PortalSettings.for_site(result.site)
        if not portal_settings.hotlines:
            station, committee = DEMO_UNIT_HOTLINES[code]
            name = unit.display_name
            portal_settings.hotlines = [
                ("hotline", {"label": f"Trạm Y tế {name}", "number": station}),
                ("hotline", {"label": f"UBND {name}", "number": committee}),
            ]
            portal_settings.save()
        made[code] = result
    ctx["unit_sites"] = made
    return made
