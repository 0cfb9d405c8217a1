"""Wagtail's API v2, read-only and open: the live public pages of the request's site (or of the
site named by ``?site=``), cacheable, open to any origin for GET, rate-limited per client."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control
from rest_framework.throttling import AnonRateThrottle
from wagtail.api.v2.views import PagesAPIViewSet

from . import schema


class OpenDataThrottle(AnonRateThrottle):
    scope = "open_data"

    def get_rate(self):
        # Read when asked (DRF reads its rates once, at import): the setting may change.
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][self.scope]

    def get_ident(self, request):
        from portal.core.net import client_ip

        return client_ip(request)


class OpenPagesAPIViewSet(PagesAPIViewSet):
    throttle_classes = [OpenDataThrottle]
    # Wagtail's base queryset: live pages without view restrictions, of the request's site (or
    # the one ``?site=<host name>`` names). Its meta fields name no editor or owner. At most
    # WAGTAILAPI_LIMIT_MAX items a request.

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            response["Access-Control-Allow-Origin"] = "*"
            if response.status_code == 200:
                patch_cache_control(response, public=True, max_age=300)
        return response


@cache_control(public=True, max_age=3600)
def openapi(request):
    response = JsonResponse(schema.document(request), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
