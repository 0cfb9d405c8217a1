from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail import hooks


@hooks.register("portal_nav_items")
def home_nav(request):
    english = get_language() == "en"
    return [
        {"title": _("Home"), "url": "/en/" if english else "/", "order": 0},
        {
            "title": _("Organisation and contact"),
            "url": "/en/organisation/" if english else "/gioi-thieu/",
            "order": 50,
        },
        {"title": _("Search"), "url": "/tim-kiem/", "order": 60},
    ]
