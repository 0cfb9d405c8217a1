"""The parent site's alerts section, two confirmed demo subscribers and one alert sent to them
(the e-mails go to the console on ``make run``), so the delivery report shows something."""

from django.utils import timezone

from portal.core.unit_sites import ensure_child

from .models import AlertIndexPage, AlertPage, Subscription, Urgency

ORDER = 70


def load(ctx):
    site = ctx.get("site")
    if site is None or AlertPage.objects.exists():
        return
    index, _created = ensure_child(
        site.root_page.specific, AlertIndexPage, "thong-bao-khan", title="Thông báo khẩn",
        intro="Thông báo khẩn của Ủy ban nhân dân huyện: dịch bệnh, bão lũ, mất điện, mất nước. "
        "Đăng ký để nhận qua Zalo, tin nhắn SMS hoặc thư điện tử.", show_in_menus=False,
    )  # fmt: skip
    now = timezone.now()
    for n, address in enumerate(["dan.vinhloc@example.vn", "hoa.vinhloc@example.vn"]):
        Subscription.objects.get_or_create(
            site=site, channel="email", address=address,
            defaults={"confirmed_at": now, "consent_at": now,
                      "consent_text": f"Đồng ý (dữ liệu mẫu {n + 1})"},
        )  # fmt: skip
    alert = AlertPage(
        title="Mưa lớn, đề phòng ngập úng và sạt lở",
        slug="mua-lon-de-phong-ngap-ung-va-sat-lo",
        message="Từ đêm nay đến hết ngày mai có mưa to đến rất to. Người dân không đi qua ngầm, "
        "tràn khi nước chảy xiết; chủ động kê cao tài sản, gia súc.",
        urgency=Urgency.URGENT,
    )
    index.add_child(instance=alert)
    alert.save_revision(user=ctx.get("admin")).publish(user=ctx.get("admin"))
