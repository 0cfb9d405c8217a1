"""How the portal writes a time and a staff member's name wherever Python builds the text
(model titles, admin headings, messages, e-mails, exports). Templates convert times themselves;
code that formats a datetime does not, so it goes through here.
"""

from django.utils import timezone

# Day first, as Vietnamese write it, like the admin's templates ("d/m/Y H:i").
DATETIME = "%d/%m/%Y %H:%M"
DATE = "%d/%m/%Y"


def local_display(value, fmt: str = DATETIME) -> str:
    """``value`` (an aware datetime, stored in UTC) in the portal's time zone (Asia/Ho_Chi_Minh).

    f"{created_at:%H:%M}" writes the UTC hour: 16:06 for a check-in at 23:06.
    """
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime(fmt)


def local_date_display(value) -> str:
    """The local calendar day of ``value`` (01:30 on the 6th is the 6th here, the 5th in UTC)."""
    return local_display(value, DATE)


def document_date(value) -> str:
    """A document's date as Decree 30 writes it: "ngày 08 tháng 9 năm 2021", days below 10 and
    months below 3 with a 0. ``value``: a date, or a datetime (its local day)."""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def place_and_date(place: str, value) -> str:
    """The place and date line under a document's motto: "Vĩnh Lộc, ngày 08 tháng 9 năm 2021"
    (``place``: the name of the issuing unit, without its type), "Ngày …" without one."""
    day = document_date(value)
    return f"{place}, {day}" if place else day.capitalize()


def staff_name(user) -> str:
    """A staff member's whole name in Vietnamese order: họ, tên đệm, tên ("Nguyễn Thị Hằng").

    The account forms ask for "Họ" (``last_name``: family and middle names, "Nguyễn Thị") and
    "Tên" (``first_name``: the given name, "Hằng"). In writing a Vietnamese is addressed by the
    whole name, so there is no short form: greetings and the sidebar use the same name. Falls back
    to the username when both are empty.
    """
    if user is None:
        return ""
    parts = (getattr(user, "last_name", "") or "", getattr(user, "first_name", "") or "")
    name = " ".join(" ".join(parts).split())
    return name or user.get_username()


def use_staff_names():
    """Make Django, Wagtail and their e-mails name staff by ``staff_name`` (once, at start-up).

    The portal keeps Django's own user model, whose ``get_full_name`` writes "Tên Họ" and whose
    ``get_short_name`` (the "Xin chào …" of Wagtail's notification e-mails) is the given name alone;
    Wagtail's admin shows ``get_full_name`` everywhere and its sidebar reads ``first_name``. Both
    methods follow the one rule above, and the sidebar's account menu is given the same name.
    """
    from django.contrib.auth.models import User
    from wagtail.admin.telepath import register
    from wagtail.admin.ui import sidebar

    User.get_full_name = staff_name
    User.get_short_name = staff_name

    class MainMenuAdapter(sidebar.BaseSidebarAdapter):
        js_constructor = "wagtail.sidebar.MainMenuModule"

        def js_args(self, obj):
            menu_items, account_menu_items, account = obj.js_args()
            return [menu_items, account_menu_items, {**account, "name": staff_name(obj.user)}]

    register(MainMenuAdapter(), sidebar.MainMenuModule)
