"""Alerts are content of the period like articles: counted by when they were sent, on the unit's
pages, with their delivered messages, each figure traced to its rows."""

import pytest
from django.contrib.contenttypes.models import ContentType

from portal.core.unit_sites import ensure_child
from portal.notifications.alerts.models import AlertIndexPage, AlertPage
from portal.notifications.models import Notification
from portal.reports.statistics import unit_statistics

from .conftest import DATE_FROM, DATE_TO, at

pytestmark = pytest.mark.django_db


def _alert(site, title, sent_at):
    index, _created = ensure_child(site.root_page.specific, AlertIndexPage, "thong-bao-khan",
                                   title="Thông báo khẩn")  # fmt: skip
    alert = AlertPage(title=title, message="Mất nước sinh hoạt từ 8 giờ đến 11 giờ.")
    index.add_child(instance=alert)
    AlertPage.objects.filter(pk=alert.pk).update(sent_at=sent_at)
    return alert


def test_alerts_sent_in_the_period_and_their_delivered_messages(world):
    site = world["commune_site"]
    inside = _alert(site, "Mất nước", at(2, 7))
    _alert(site, "Tháng trước", at(1, 0, 0).replace(month=8))
    _alert(site, "Chưa gửi", None)
    about = ContentType.objects.get_for_model(AlertPage)
    for n, status in enumerate(["sent", "sent", "given_up"]):
        Notification.objects.create(channel="sms", to=f"091234567{n}", body="…", status=status,
                                    about_type=about, about_id=str(inside.pk))  # fmt: skip
    stats = unit_statistics(site, DATE_FROM, DATE_TO)
    sent = AlertPage.objects.filter(sent_at__date__range=(DATE_FROM, DATE_TO),
                                    path__startswith=site.root_page.path)  # fmt: skip
    assert stats.figures["alerts_sent"].value == sent.count() == 1
    assert "AlertPage" in stats.figures["alerts_sent"].query
    assert stats.figures["alert_messages_sent"].value == 2
