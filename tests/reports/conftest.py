"""Rows for the statistics: two communes, a commune site, a district site, and records of every
kind inside and outside the period, made here so that the tests can count them themselves."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from wagtail.models import Page, Site

from portal.checkpoints.models import CheckIn, Checkpoint, PosterExport, RevokedCode
from portal.core.models import PortalSettings
from portal.core.sites import forget_site_tree
from portal.eservices.models import (
    Dossier,
    FormVersion,
    HealthDeclaration,
    Status,
    SupplementRequest,
)
from portal.home.models import HomePage
from portal.news.models import DirectivePage, Issuer, Meeting, NewsPage

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FROM = datetime.date(2021, 9, 1)
DATE_TO = datetime.date(2021, 9, 3)


def at(day, hour=9, minute=0):
    return datetime.datetime(2021, 9, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def world(db, served_communes):
    a, b = served_communes[0], served_communes[1]
    district_site = Site.objects.get(is_default_site=True)
    PortalSettings.objects.update_or_create(
        site=district_site,
        defaults={"unit": a.parent, "organisation_name": "Ủy ban nhân dân huyện Vĩnh Lộc"},
    )
    home = Page.get_first_root_node().add_child(instance=HomePage(title="Xã A", slug="xa-a"))
    commune_site = Site.objects.create(hostname="xa-a.localhost", root_page=home, site_name="Xã A")
    PortalSettings.objects.create(
        site=commune_site, unit=a, organisation_name=f"Ủy ban nhân dân {a.display_name}"
    )
    forget_site_tree()

    # Checkpoints: created before the period, except one after it.
    cp_a1 = Checkpoint.objects.create(name="Chợ A", kind="market", commune=a, address="x")
    cp_a2 = Checkpoint.objects.create(name="Trường A", kind="school", commune=a, address="x")
    cp_a3 = Checkpoint.objects.create(name="Đóng A", commune=a, address="x", is_active=False)
    cp_b1 = Checkpoint.objects.create(name="UBND B", kind="office", commune=b, address="x")
    cp_b2 = Checkpoint.objects.create(name="Chợ B", kind="market", commune=b, address="x")
    Checkpoint.objects.filter(pk__in=[cp_a1.pk, cp_a2.pk, cp_a3.pk, cp_b1.pk, cp_b2.pk]).update(
        created_at=at(1, 0, 0) - datetime.timedelta(days=10)
    )
    late = Checkpoint.objects.create(name="Mới A", commune=a, address="x")
    Checkpoint.objects.filter(pk=late.pk).update(created_at=at(10))
    RevokedCode.objects.create(
        checkpoint=cp_a1, code="r" * 32, short_code="RRRR1111", issued_on=DATE_FROM,
        revoked_at=at(2),
    )  # fmt: skip

    # Bulk posters: 3 for commune A in the period, 2 for every commune, 9 failed, 4 afterwards.
    for commune, total, status, day in (
        (a, 3, "done", 2),
        (None, 2, "done", 3),
        (a, 9, "failed", 2),
        (a, 4, "done", 9),
    ):
        export = PosterExport.objects.create(
            commune=commune, total=total, done=total, status=status
        )
        PosterExport.objects.filter(pk=export.pk).update(created_at=at(day))

    def checkin(cp, when, source="qr", declaration=None):
        return CheckIn.objects.create(
            checkpoint=cp, full_name="Nguyễn Văn A", phone="0912345678", checked_in_at=when,
            source=source, declaration_id=declaration,
        )  # fmt: skip

    # In the period: commune A 3 QR (one declared), 2 paper, 1 staff; commune B 2 QR, 1 paper.
    checkin(cp_a1, at(1, 8), declaration=1)
    checkin(cp_a1, at(1, 23, 30))  # late evening: still 1 September locally
    checkin(cp_a1, at(3, 7), "paper")
    checkin(cp_a1, at(3, 8), "paper")
    checkin(cp_a1, at(2, 10), "staff")
    checkin(cp_a1, at(2, 11))
    checkin(cp_b1, at(2, 9))
    checkin(cp_b1, at(2, 9, 30))
    checkin(cp_b1, at(3, 9), "paper")
    # Outside the period: the local midnight before and after, and a week later.
    checkin(cp_a2, at(1, 0, 0) - datetime.timedelta(minutes=1))
    checkin(cp_a2, at(4, 0, 0))
    checkin(cp_b2, at(10))

    def declaration(commune, when, district=None):
        made = HealthDeclaration.objects.create(
            full_name="Lê Thị B", date_of_birth=datetime.date(1990, 1, 1), sex="female",
            phone="0912000000", address="x", commune=commune, district=district,
        )  # fmt: skip
        HealthDeclaration.objects.filter(pk=made.pk).update(created_at=when)

    declaration(a, at(1, 7))
    declaration(a, at(2, 7))
    declaration(b, at(2, 8))
    declaration(None, at(3, 8), district=a.parent)  # no commune: the district's only
    declaration(a, at(5, 8))  # after

    version = FormVersion.objects.create(form_key="t", digest="d" * 64, schema={"steps": []})
    counter = {"n": 0}

    def dossier(site, title, submitted, status=Status.NEW, due=None, finished=None):
        counter["n"] += 1
        return Dossier.objects.create(
            code=f"VL-{counter['n']}", service_title=title, form_version=version,
            agency_code="VL", applicant_name="Trần C", site=site, status=status,
            submitted_at=submitted, due_date=due, finished_at=finished,
        )  # fmt: skip

    # Commune A's site: 3 received in the period. Finished in it: one on time (1 → 3 Sep: 2 and
    # 3 Sep 2021 were the National Day holiday, 0 working days), one late (received 23 Aug, due
    # 27 Aug, finished 2 Sep: 24, 25, 26, 27, 30, 31 Aug and 1 Sep, 7 working days).
    dossier(commune_site, "Chứng thực bản sao", at(1), Status.DONE, datetime.date(2021, 9, 6),
            at(3, 15))  # fmt: skip
    dossier(commune_site, "Chứng thực bản sao", at(2))
    supplemented = dossier(commune_site, "Đăng ký khai sinh", at(3), Status.SUPPLEMENT)
    dossier(commune_site, "Đăng ký khai sinh", at(1) - datetime.timedelta(days=9),
            Status.RETURNED, datetime.date(2021, 8, 27), at(2, 10))  # fmt: skip
    SupplementRequest.objects.create(dossier=supplemented, fields=["x"])
    SupplementRequest.objects.filter(dossier=supplemented).update(created_at=at(3, 10))
    # The district's own site: 1 received; and one after the period.
    dossier(district_site, "Cấp giấy phép xây dựng", at(2))
    dossier(district_site, "Cấp giấy phép xây dựng", at(9))

    issuer_district = Issuer.objects.create(name="UBND huyện Vĩnh Lộc")
    issuer_province = Issuer.objects.create(name="UBND tỉnh Thanh Hóa")
    district_root = district_site.root_page

    def directive(root, slug, reference, issuer, day, live=True):
        return root.add_child(
            instance=DirectivePage(
                title=f"Công văn {reference}", slug=slug, doc_type="cong-van",
                reference=reference, issuer=issuer, issue_date=day,
                summary=f"Về việc {slug}.", live=live,
            )
        )  # fmt: skip

    directive(
        district_root, "cv-2163", "2163/UBND-VHTT", issuer_district, datetime.date(2021, 9, 1)
    )
    directive(district_root, "cv-13341", "13341/UBND-CNTT", issuer_province, DATE_TO)
    directive(
        district_root, "cv-2184", "2184/UBND-VHTT", issuer_district, datetime.date(2021, 9, 7)
    )
    directive(district_root, "cv-draft", "2170/UBND-VHTT", issuer_district, DATE_FROM, live=False)
    directive(home, "cv-xa", "15/UBND", issuer_district, datetime.date(2021, 9, 2))

    def news(root, slug, day, category="tin-tuc", **kw):
        return root.add_child(
            instance=NewsPage(title=slug, slug=slug, summary="x", body=[], date=day,
                              category=category, **kw)
        )  # fmt: skip

    news(home, "tin-xa-1", DATE_FROM)
    news(home, "tin-xa-2", DATE_TO, "tuyen-truyen")
    news(district_root, "tin-huyen-1", datetime.date(2021, 9, 2), "thong-bao")
    news(district_root, "tin-huyen-cu", datetime.date(2021, 8, 31))

    def meeting(site, day, online):
        Meeting.objects.create(site=site, start=at(day), title="Giao ban", chair="Chủ tịch",
                               place="Hội trường", is_online=online)  # fmt: skip

    meeting(commune_site, 1, True)
    meeting(district_site, 2, True)
    meeting(district_site, 3, False)
    meeting(district_site, 8, True)
    return {"a": a, "b": b, "commune_site": commune_site, "district_site": district_site}


@pytest.fixture
def commune_b_site(world):
    """Commune B's own site, with a dossier and a meeting of its own in the period."""
    b = world["b"]
    home = Page.get_first_root_node().add_child(instance=HomePage(title="Xã B", slug="xa-b"))
    site = Site.objects.create(hostname="xa-b.localhost", root_page=home, site_name="Xã B")
    PortalSettings.objects.create(
        site=site, unit=b, organisation_name=f"Ủy ban nhân dân {b.display_name}"
    )
    forget_site_tree()
    version = FormVersion.objects.get(form_key="t")
    Dossier.objects.create(
        code="VL-B-1", service_title="Đăng ký khai sinh", form_version=version, agency_code="VL",
        applicant_name="Phạm D", site=site, status=Status.NEW, submitted_at=at(2),
    )  # fmt: skip
    Meeting.objects.create(site=site, start=at(2), title="Giao ban xã", chair="Chủ tịch",
                           place="Hội trường", is_online=False)  # fmt: skip
    return site


@pytest.fixture
def site_editor(staff_user_factory):
    """make(site, commune): an editor of that site only, as core.unit_sites makes them, who may
    keep report templates (the permissions the app grants to the site groups)."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    def make(site, commune):
        group = Group.objects.create(name=f"Biên tập {site.hostname}")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="reports", codename__endswith="_reporttemplate"
            )
        )
        GroupPagePermission.objects.create(
            group=group,
            page=site.root_page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename="change_page"
            ),
        )
        user = staff_user_factory(communes=[commune])
        user.groups.add(group)
        return user

    return make
