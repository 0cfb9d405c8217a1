"""Wagtail's API v2, read-only and open: the live public pages of the request's site (or of the
site named by ``?site=``), cacheable, open to any origin for GET, rate-limited per client."""

import datetime

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView
from wagtail.api.v2.views import PagesAPIViewSet

from portal.core.cache import cache_public

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


@cache_public
def developers(request):
    """The page for developers (Vietnamese, with an English summary): what the API offers, with
    example addresses of this very site."""
    from django.shortcuts import render

    base = request.build_absolute_uri("/api/v2/")
    return render(
        request,
        "api/developers.html",
        {
            "base": base,
            "limit": settings.WAGTAILAPI_LIMIT_MAX,
            "rate": settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["open_data"],
        },
    )


@cache_public
@cache_control(public=True, max_age=3600)
def openapi(request):
    response = JsonResponse(schema.document(request), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


class OpenDataMixin:
    """What every open-data answer shares: the throttle, CORS for GET, a public cache."""

    throttle_classes = [OpenDataThrottle]
    authentication_classes = []
    permission_classes = []

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=300)
        return response


class ScheduleAPIView(OpenDataMixin, APIView):
    """The work schedule (lịch công tác) of the request's site: its meetings in a period, as the
    public schedule page shows them."""

    def get(self, request):
        from portal.core.sites import site_for_request
        from portal.news.models import Meeting

        try:
            start = _date(request.GET.get("from")) or timezone.localdate()
            end = _date(request.GET.get("to")) or start + datetime.timedelta(days=6)
            limit = min(int(request.GET.get("limit", 20)), settings.WAGTAILAPI_LIMIT_MAX)
            offset = max(int(request.GET.get("offset", 0)), 0)
        except ValueError:
            return Response({"message": "from/to are dates (YYYY-MM-DD); limit/offset numbers"},
                            status=400)  # fmt: skip
        if end < start or limit < 1:
            return Response({"message": "to is before from, or limit below 1"}, status=400)
        zone = timezone.get_current_timezone()
        meetings = Meeting.objects.filter(
            site=site_for_request(request),
            start__gte=datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
            start__lt=datetime.datetime.combine(end, datetime.time.min, tzinfo=zone)
            + datetime.timedelta(days=1),
        ).order_by("start", "pk")
        items = [
            {
                "id": m.pk,
                "start": timezone.localtime(m.start).isoformat(),
                "end": timezone.localtime(m.end).isoformat() if m.end else None,
                "title": m.title,
                "chair": m.chair,
                "participants": m.participants,
                "place": m.place,
                "prepared_by": m.preparation,
                "online": m.is_online,
                "online_link": m.online_link or None,
                "cancelled": m.cancelled,
                "note": m.note,
            }
            for m in meetings[offset : offset + limit]
        ]
        return Response({"meta": {"total_count": meetings.count()}, "items": items})


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


class QuestionsAPIView(OpenDataMixin, APIView):
    """The published questions and answers (hỏi đáp) of the request's site: the texts staff
    published, never the sender's name or contact."""

    def get(self, request):
        from portal.core.sites import absolute_url, site_for_request
        from portal.core.text import fold
        from portal.participation.questions.views import published_for

        try:
            since = _date(request.GET.get("from"))
            until = _date(request.GET.get("to"))
            limit = min(int(request.GET.get("limit", 20)), settings.WAGTAILAPI_LIMIT_MAX)
            offset = max(int(request.GET.get("offset", 0)), 0)
            area = int(request.GET["area"]) if request.GET.get("area") else None
        except ValueError:
            return Response({"message": "from/to are dates (YYYY-MM-DD); limit/offset/area "
                             "numbers"}, status=400)  # fmt: skip
        if limit < 1:
            return Response({"message": "limit below 1"}, status=400)
        site = site_for_request(request)
        questions = published_for(site).select_related("area", "unit")
        if area is not None:
            questions = questions.filter(area_id=area)
        if request.GET.get("unit"):
            questions = questions.filter(unit__code=request.GET["unit"])
        if since:
            questions = questions.filter(answered_at__date__gte=since)
        if until:
            questions = questions.filter(answered_at__date__lte=until)
        for word in fold(request.GET.get("search", "")[:100]).split():
            questions = questions.filter(public_text_folded__contains=word)
        questions = questions.order_by("-answered_at", "-pk")
        items = [
            {
                "id": q.pk,
                "kind": q.kind,
                "title": q.shown_title,
                "question": q.shown_content,
                "answer": q.answer,
                "answered_by": q.answered_by,
                "answered_at": timezone.localtime(q.answered_at).isoformat(),
                "asked_on": timezone.localdate(q.submitted_at).isoformat(),
                "area": q.area.name if q.area_id else None,
                "unit": {"code": q.unit.code, "name": q.unit.display_name} if q.unit_id else None,
                "html_url": absolute_url(site, f"/hoi-dap/{q.pk}/"),
            }
            for q in questions[offset : offset + limit]
        ]
        return Response({"meta": {"total_count": questions.count()}, "items": items})
