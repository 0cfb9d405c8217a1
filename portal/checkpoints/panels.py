"""The admin dashboard panel: check-ins per day and commune (an SVG chart), dormant checkpoints."""

from datetime import timedelta

from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from wagtail.admin.ui.components import Component

from portal.core.scope import communes_for, filter_by_commune

from .models import CheckIn, Checkpoint

DAYS = 7
BAR_W, GAP, CHART_H = 14, 4, 40


def panel_data(user, today=None):
    today = today or timezone.localdate()
    days = [today - timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
    start = timezone.make_aware(timezone.datetime.combine(days[0], timezone.datetime.min.time()))
    communes = list(communes_for(user))
    counts = (
        filter_by_commune(CheckIn.objects.all(), user, "checkpoint__commune")
        .filter(checked_in_at__gte=start)
        .annotate(day=TruncDate("checked_in_at", tzinfo=timezone.get_current_timezone()))
        .values("checkpoint__commune_id", "day")
        .annotate(n=Count("id"))
    )
    table = {}
    for row in counts:
        table[(row["checkpoint__commune_id"], row["day"])] = row["n"]
    peak = max(table.values(), default=0) or 1
    rows = []
    for commune in communes:
        bars = []
        for i, day in enumerate(days):
            n = table.get((commune.pk, day), 0)
            h = round(n * CHART_H / peak)
            bars.append({"x": i * (BAR_W + GAP), "y": CHART_H - h, "h": h, "n": n, "day": day})
        rows.append({"commune": commune, "bars": bars, "total": sum(b["n"] for b in bars)})
    cutoff = timezone.now() - timedelta(days=7)
    dormant = (
        filter_by_commune(Checkpoint.objects.filter(is_active=True), user)
        .select_related("commune")
        .annotate(last=Max("checkins__checked_in_at"))
        .filter(Q(last__lt=cutoff) | Q(last__isnull=True))
        .order_by("commune__code", "name")
    )
    dormant_list = list(dormant[:15])
    return {
        "days": days,
        "rows": rows,
        "peak": peak,
        "chart_w": DAYS * (BAR_W + GAP),
        "chart_h": CHART_H,
        "bar_w": BAR_W,
        "dormant": dormant_list,
        "dormant_count": len(dormant_list) if len(dormant_list) < 15 else dormant.count(),
    }


class CheckpointsPanel(Component):
    name = "checkpoints"
    order = 150
    template_name = "checkpoints/admin/panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        return panel_data(self.request.user)
