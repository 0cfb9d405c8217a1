"""Work schedule views (lịch công tác): a week at a time, and an iCalendar feed."""

import datetime
import hashlib

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from portal.core.cache import cache_public
from portal.core.sites import site_base_url, site_for_request, unit_for_request
from portal.core.unit_sites import unit_phrase

from .ical import calendar
from .models import Meeting
from .models.schedule import week_bounds
from .sitemaps import AllLanguagesSitemap

ARCHIVE_WEEKS = 12
FEED_PAST_DAYS = 60


def _week_or_404(year, week):
    if not (2000 <= year <= 2100):
        raise Http404("No such week")
    try:
        return week_bounds(year, week)
    except ValueError as exc:
        raise Http404("No such week") from exc


def _week_url(monday):
    year, week, _ = monday.isocalendar()
    return reverse("news:schedule_week", kwargs={"year": year, "week": week})


@cache_public
def schedule(request, year=None, week=None):
    today = timezone.localdate()
    if year is None:
        year, week, _ = today.isocalendar()
    start, end = _week_or_404(year, week)
    # Each site shows its own unit's schedule, never another's.
    own = Meeting.objects.filter(site=site_for_request(request))
    meetings = list(own.filter(start__gte=start, start__lt=end).order_by("start"))
    monday = start.date()
    days = []
    for offset in range(7):
        day = monday + datetime.timedelta(days=offset)
        days.append(
            {
                "date": day,
                "is_today": day == today,
                "meetings": [m for m in meetings if timezone.localtime(m.start).date() == day],
            }
        )
    archive = [
        {"monday": d.date(), "url": _week_url(d.date())}
        for d in own.datetimes("start", "week", order="DESC")[:ARCHIVE_WEEKS]
    ]
    unit = unit_for_request(request)
    context = {
        "unit_phrase": unit_phrase(unit) if unit is not None else "",
        "year": year,
        "week": week,
        "monday": monday,
        "sunday": monday + datetime.timedelta(days=6),
        "days": days,
        "has_meetings": bool(meetings),
        "previous_url": _week_url(monday - datetime.timedelta(days=7)),
        "next_url": _week_url(monday + datetime.timedelta(days=7)),
        "this_week": (year, week) == today.isocalendar()[:2],
        "archive": archive,
    }
    return render(request, "news/schedule.html", context)


@cache_public
def schedule_ical(request):
    since = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    site = site_for_request(request)
    meetings = Meeting.objects.filter(site=site, start__gte=since).order_by("start")
    # Event addresses and identifiers of the site the calendar is read from.
    base_url = site_base_url(site)
    body = calendar(meetings, host=base_url.split("://")[-1], base_url=base_url)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lich-cong-tac.ics"'
    response["ETag"] = f'"{hashlib.blake2b(body.encode(), digest_size=8).hexdigest()}"'
    return response


@cache_public
def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"pages": AllLanguagesSitemap})


def bulletin_script_print(request, pk):
    """A bulletin script as the announcer reads it: numbered items with their reading time, the
    total, printable on A4 (Wagtail admin URL: staff who may view the site's scripts)."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    from portal.core.models import PortalSettings
    from portal.core.scope import object_in_site_scope

    from .models import BulletinScript

    if not request.user.has_perm("news.view_bulletinscript"):
        raise PermissionDenied
    script = get_object_or_404(BulletinScript.objects.select_related("site"), pk=pk)
    if not object_in_site_scope(request.user, script):
        raise Http404
    parts = script.parts()
    return render(
        request,
        "news/bulletin_script_print.html",
        {
            "script": script,
            "parts": parts,
            "total": sum(seconds for _t, _x, seconds in parts),
            "organisation": PortalSettings.for_site(script.site).organisation_name,
        },
    )
