from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks


@hooks.register("portal_footer_links")
def privacy_link(request):
    return [{"title": _("Personal data protection"), "url": reverse("core:privacy"), "order": 90}]
