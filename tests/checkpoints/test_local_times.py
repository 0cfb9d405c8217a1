"""Times the admin writes from Python (titles, headings, the poster export's name) are local times
(Asia/Ho_Chi_Minh, UTC+7), as everywhere else on the portal: a check-in at 16:06 UTC is 23:06."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.checkpoints.models import PosterExport, RetentionRun
from portal.core.models import AuditEntry
from portal.eservices.models import HealthDeclaration

pytestmark = pytest.mark.django_db

LATE_EVENING = datetime.datetime(2021, 10, 5, 16, 6, tzinfo=datetime.UTC)  # 23:06 in Việt Nam
AFTER_MIDNIGHT = datetime.datetime(2021, 10, 5, 18, 30, tzinfo=datetime.UTC)  # 01:30 on the 6th


def test_check_in_title_is_in_local_time(checkpoint, stay_factory):
    stay = stay_factory(checkpoint, LATE_EVENING)
    assert str(stay).endswith("05/10/2021 23:06")
    assert "16:06" not in str(stay)


def test_check_in_admin_page_title_is_in_local_time(
    client, checkpoint, stay_factory, staff_user_factory
):
    stay = stay_factory(checkpoint, LATE_EVENING)
    client.force_login(staff_user_factory(superuser=True, all_communes=True))
    html = client.get(reverse("checkpoints_checkins:history", args=[stay.pk])).content.decode()
    assert "23:06" in html
    assert "16:06" not in html


def test_bulk_poster_export_title_is_in_local_time(communes):
    export = PosterExport.objects.create(commune=communes[0])
    PosterExport.objects.filter(pk=export.pk).update(created_at=LATE_EVENING)
    export.refresh_from_db()
    assert str(export).endswith("05/10/2021 23:06")


def test_other_titles_use_the_local_day_and_time():
    run = RetentionRun.objects.create(cutoff=LATE_EVENING)
    RetentionRun.objects.filter(pk=run.pk).update(ran_at=AFTER_MIDNIGHT)
    run.refresh_from_db()
    assert str(run).startswith("06/10/2021 01:30")

    entry = AuditEntry(created_at=AFTER_MIDNIGHT, username="yte", action="trace")
    assert str(entry).startswith("06/10/2021 01:30")

    declaration = HealthDeclaration(full_name="Nguyễn Văn A", created_at=LATE_EVENING)
    assert str(declaration) == "Nguyễn Văn A (05/10/2021 23:06)"
    assert timezone.get_current_timezone_name() == "Asia/Ho_Chi_Minh"
