"""Each site has its own work schedule (lịch công tác): its page and its calendar list its own
meetings, and in the admin a commune's editors see and change only their site's meetings."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from portal.core import roles
from portal.core.models import AdministrativeUnit
from portal.core.unit_sites import editors_group_name, ensure_unit_site
from portal.news.models import Meeting

TOWN, OTHER = "15349", "15358"  # Thị trấn Vĩnh Lộc, Xã Vĩnh Tiến
PARENT = {"HTTP_HOST": "127.0.0.1:8000"}


def _host(site):
    return {"HTTP_HOST": f"{site.hostname}:{site.port}"}


def _meeting(site, title, start=None):
    start = start or timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    return Meeting.objects.create(
        site=site, start=start, title=title, chair="Chủ tịch UBND", place="Hội trường"
    )


@pytest.fixture
def schedule(demo):
    district = demo
    Meeting.objects.all().delete()  # the demo's own week: only the meetings below
    town = ensure_unit_site(AdministrativeUnit.objects.get(code=TOWN), "thi-tran.localhost").site
    other = ensure_unit_site(AdministrativeUnit.objects.get(code=OTHER), "xa-tien.localhost").site
    return {
        "district": (district, _meeting(district, "Giao ban lãnh đạo UBND huyện")),
        "town": (town, _meeting(town, "Giao ban Ban Chỉ đạo thị trấn")),
        "other": (other, _meeting(other, "Kiểm tra chợ phiên xã Vĩnh Tiến")),
    }


@pytest.fixture
def town_editor(schedule, staff_user_factory):
    user = staff_user_factory()
    user.groups.add(
        Group.objects.get(name=editors_group_name(AdministrativeUnit.objects.get(code=TOWN)))
    )
    return user


def test_each_sites_schedule_and_calendar_list_its_own_meetings(schedule, client):
    for key, (site, _own) in schedule.items():
        host = PARENT if key == "district" else _host(site)
        page = client.get("/lich-cong-tac/", **host).text
        calendar = client.get("/lich-cong-tac/lich.ics", **host).content.decode()
        calendar = calendar.replace("\r\n ", "")
        for other_key, (_other_site, other) in schedule.items():
            shown = other_key == key
            assert (other.title in page) is shown, (key, other.title)
            assert (f"SUMMARY:{other.title}" in calendar) is shown, (key, other.title)
    town_page = client.get("/lich-cong-tac/", **_host(schedule["town"][0])).text
    assert "<h1>Lịch công tác của lãnh đạo thị trấn Vĩnh Lộc</h1>" in town_page


def test_a_commune_editor_lists_and_changes_only_their_sites_meetings(
    schedule, town_editor, client
):
    client.force_login(town_editor)
    listing = client.get(reverse("wagtailsnippets_news_meeting:list")).text
    assert "Giao ban Ban Chỉ đạo thị trấn" in listing
    assert "Giao ban lãnh đạo UBND huyện" not in listing
    assert "Kiểm tra chợ phiên" not in listing

    own = schedule["town"][1]
    assert (
        client.get(reverse("wagtailsnippets_news_meeting:edit", args=[own.pk])).status_code == 200
    )
    for key in ("district", "other"):
        pk = schedule[key][1].pk
        for view in ("edit", "delete", "history"):
            url = reverse(f"wagtailsnippets_news_meeting:{view}", args=[pk])
            assert client.get(url).status_code == 404, (key, view)
        response = client.post(
            reverse("wagtailsnippets_news_meeting:delete", args=[pk]), follow=False
        )
        assert response.status_code == 404
        assert Meeting.objects.filter(pk=pk).exists()


def test_a_commune_editor_adds_a_meeting_to_their_own_site_only(schedule, town_editor, client):
    client.force_login(town_editor)
    town, _ = schedule["town"]
    district, _ = schedule["district"]
    add = reverse("wagtailsnippets_news_meeting:add")
    form = client.get(add).context["form"]
    assert list(form.fields["site"].queryset) == [town]
    assert form.initial["site"] == town.pk

    start = timezone.localtime() + datetime.timedelta(days=1)
    data = {
        "start": start.strftime("%Y-%m-%d %H:%M"),
        "end": "",
        "title": "Họp dân thôn 3",
        "chair": "Chủ tịch UBND thị trấn",
        "participants": "",
        "place": "Nhà văn hóa thôn 3",
        "preparation": "",
        "online_link": "",
        "note": "",
    }
    refused = client.post(add, {**data, "site": district.pk})
    assert refused.status_code == 200 and "site" in refused.context["form"].errors
    assert not Meeting.objects.filter(title="Họp dân thôn 3").exists()

    client.post(add, {**data, "site": town.pk})
    assert Meeting.objects.get(title="Họp dân thôn 3").site == town


def test_the_district_editors_see_every_sites_schedule(schedule, staff_user_factory, client):
    editor = staff_user_factory(groups=[roles.EDITOR])
    client.force_login(editor)
    listing = client.get(reverse("wagtailsnippets_news_meeting:list")).text
    for _site, meeting in schedule.values():
        assert meeting.title in listing


def test_the_schedule_list_reads_without_english_true_or_false(schedule, town_editor, client):
    client.force_login(town_editor)
    listing = client.get(reverse("wagtailsnippets_news_meeting:list")).text
    cells = re.findall(r"<td[^>]*>\s*(True|False)\s*</td>", listing)
    assert not cells and "Đã hủy" in listing
