from django.utils.functional import SimpleLazyObject

from .sites import site_base_url, site_for_request, site_name


def portal(request):
    """The name and address of the request's site (a commune's site names itself, not the
    district's portal), looked up only when a template uses them."""
    return {
        "PORTAL_SITE_NAME": SimpleLazyObject(lambda: site_name(site_for_request(request))),
        "SITE_URL": SimpleLazyObject(lambda: site_base_url(site_for_request(request))),
    }
