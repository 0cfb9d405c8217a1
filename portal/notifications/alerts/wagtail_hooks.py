from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.signals import page_published

from portal.notifications.models import Channel, Status

from .models import AlertPage, Subscription
from .sending import delivery_report, start_sending


@receiver(page_published, sender=AlertPage)
def send_on_first_publication(sender, instance, **kwargs):
    """Publishing an alert (directly, or when a leader approves it in the workflow) sends it;
    publishing it again (a correction) does not send it twice."""
    start_sending(instance)


def report_view(request, page_id):
    alert = get_object_or_404(AlertPage, pk=page_id)
    if not alert.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    report = delivery_report(alert)
    rows = [
        (label, [report.get(channel, {}).get(status, 0) for status, _l in Status.choices])
        for channel, label in Channel.choices
    ]
    totals = [sum(row[1][i] for row in rows) for i in range(len(Status.choices))]
    subscribers = {
        label: Subscription.objects.filter(
            site__in=[s.pk for s in alert.target_sites()], channel=channel,
            confirmed_at__isnull=False,
        ).count()
        for channel, label in Channel.choices
    }  # fmt: skip
    return render(
        request,
        "alerts/admin/report.html",
        {
            "page_title": _("Delivery report"),
            "page_subtitle": alert.title,
            "header_icon": "mail",
            "alert": alert,
            "statuses": [label for _s, label in Status.choices],
            "rows": rows,
            "totals": totals,
            "subscribers": subscribers,
            "sites": alert.target_sites(),
        },
    )


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("canh-bao/<int:page_id>/", report_view, name="alerts_report")]


class ReportButton(PageMenuItem):
    label = gettext_lazy("Delivery report")
    icon_name = "mail"
    url_name = "alerts_report"

    def is_shown(self, user):
        return bool(getattr(self.page.specific_deferred, "sent_at", None))

    def get_url(self, context):
        return reverse(self.url_name, args=[self.page.pk])


@hooks.register("register_page_header_buttons")
def report_button(page, user, view_name, next_url=None):
    if issubclass(page.specific_class or object, AlertPage):
        yield ReportButton(page=page, priority=14)


@hooks.register("portal_build_unit_site", order=50)
def build_unit_site_alerts(home, unit):
    """A unit's site's alerts section (portal.core.unit_sites)."""
    from portal.core.unit_sites import ensure_child, unit_phrase

    from .models import AlertIndexPage

    _page, created = ensure_child(
        home, AlertIndexPage, "thong-bao-khan", title="Thông báo khẩn",
        intro=f"Thông báo khẩn của {unit_phrase(unit)}. Đăng ký để nhận qua Zalo, tin nhắn SMS "
        "hoặc thư điện tử.", show_in_menus=False,
    )  # fmt: skip
    return [created]


@hooks.register("portal_footer_links")
def subscribe_link(request):
    return [{"title": _("Receive alerts"), "url": reverse("alerts:subscribe"), "order": 70}]


@hooks.register("portal_personal_data")
def personal_data():
    """Subscriptions held about a person (by phone number), for data-subject requests."""

    def find(phone, id_number):
        if not phone:
            return Subscription.objects.none()
        return Subscription.objects.filter(address=phone)

    return [(_("Alert subscriptions"), find)]
