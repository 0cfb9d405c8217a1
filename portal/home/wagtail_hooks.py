from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail import hooks


@hooks.register("portal_nav_items")
def home_nav(request):
    return [{"title": _("Home"), "url": "/en/" if get_language() == "en" else "/", "order": 0}]
