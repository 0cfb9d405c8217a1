"""The log of automatic deletions (nhật ký xoá dữ liệu)."""

from django.shortcuts import render

from ..models import RetentionRun
from .scope import require_perm


def retention_log(request):
    require_perm(request.user, "checkpoints.view_checkin")
    return render(
        request,
        "checkpoints/admin/retention.html",
        {"runs": RetentionRun.objects.all()[:60], "header_icon": "bin"},
    )
