import datetime
import time

from django.utils import timezone

from portal.core.tasks import publish_scheduled
from portal.news.models import NewsIndexPage, NewsPage


def test_scheduled_news_goes_live_when_the_beat_task_runs(demo, settings, client):
    assert "portal.core.tasks.publish_scheduled" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    index = NewsIndexPage.objects.get(url_path="/trang-chu/tin-tuc/")  # the district's
    page = NewsPage(title="Tin hẹn giờ", slug="tin-hen-gio", summary="x", body=[], live=False)
    index.add_child(instance=page)
    page.go_live_at = timezone.now() + datetime.timedelta(seconds=1)
    page.save_revision().publish()  # with a future go-live time this schedules, not publishes
    page.refresh_from_db()
    assert not page.live

    time.sleep(1.2)
    publish_scheduled.delay()
    page.refresh_from_db()
    assert page.live
    assert client.get("/tin-tuc/tin-hen-gio/").status_code == 200
