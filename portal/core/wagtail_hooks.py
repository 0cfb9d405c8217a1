from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

# Admin views and the page views' per-page lock (moderation) register hooks when imported.
from . import audit_admin, moderation, privacy_requests, reform_admin, two_factor  # noqa: F401
from .admin_offline import hide_external_help  # noqa: F401 - no links to other hosts
from .dashboard import role_dashboard  # noqa: F401 - dashboard panels per role


@hooks.register("portal_footer_links")
def privacy_link(request):
    return [{"title": _("Personal data protection"), "url": reverse("core:privacy"), "order": 90}]
