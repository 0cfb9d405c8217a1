from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks


@hooks.register("portal_footer_links")
def open_data_link(request):
    return [{"title": _("Open data"), "url": reverse("open_data_developers"), "order": 80}]
