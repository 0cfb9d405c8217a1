"""The radio bulletin: audio checked by its content (what browsers play, or a clear refusal), and
the announcer's script of chosen news items with reading times, printable, within the editor's
sites."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents import get_document_model

from portal.core.roles import setup_roles
from portal.core.unit_sites import editors_group_name
from portal.news.audio import playable_problem
from portal.news.demo_media import jingle_wav
from portal.news.models import BulletinItem, BulletinScript, NewsPage
from portal.news.models.bulletins import reading_seconds
from tests.core.test_sites_editors import OTHER, TOWN, sites  # noqa: F401

pytestmark = pytest.mark.django_db


class _Kept(io.BytesIO):
    def close(self):  # aifc closes the file it wrote: keep the bytes
        pass


def _aiff() -> bytes:
    """An AIFF recording (a format browsers do not play)."""
    aifc = pytest.importorskip("aifc")
    out = _Kept()
    with aifc.open(out, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(8000)
        f.writeframes(b"\x00\x01" * 8000)
    return out.getvalue()


def test_only_audio_browsers_play_is_accepted():
    assert playable_problem(io.BytesIO(jingle_wav())) is None
    assert "không phát được trên trình duyệt" in playable_problem(io.BytesIO(_aiff()))
    assert "không phải bản ghi âm" in playable_problem(io.BytesIO(b"ID3 not really an mp3" * 50))


def test_a_news_item_refuses_an_audio_file_browsers_cannot_play(sites):  # noqa: F811
    news = sites[TOWN]["news"]
    item = NewsPage(title="Bản tin tối", summary="Tin trong ngày", body=[])
    news.add_child(instance=item)
    document = get_document_model()(title="ban-tin.aiff")
    document.file.save("ban-tin.aiff", ContentFile(_aiff()), save=False)
    document.save()
    item.audio = document
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert "audio" in refused.value.message_dict
    good = get_document_model()(title="ban-tin.wav")
    good.file.save("ban-tin.wav", ContentFile(jingle_wav()), save=False)
    good.save()
    item.audio = good
    item.full_clean()


def test_reading_time_follows_the_normal_pace(settings):
    settings.NEWS_BULLETIN_WORDS_PER_MINUTE = 180
    assert reading_seconds("một " * 180) == 60
    assert reading_seconds("một " * 181) == 61
    assert reading_seconds("") == 0


def test_a_news_items_text_keeps_its_paragraphs():
    from types import SimpleNamespace

    from portal.news.models.bulletins import news_text

    page = SimpleNamespace(
        summary="Tóm  tắt", body="<h2>Mục</h2><p>Câu một.</p><p>Hai &amp; ba<br>bốn</p>"
    )
    assert news_text(page) == "Tóm tắt\n\nMục\nCâu một.\nHai & ba\nbốn"


def _script(site_data, words=90):
    news = site_data["news"]
    item = NewsPage(title="Tiêm chủng mở rộng", summary="tin " * words, body=[])
    news.add_child(instance=item)
    script = BulletinScript.objects.create(
        site=site_data["site"].site, title="Bản tin sáng thứ hai", announcer="Lê Thị Hoa",
        opening="Kính thưa bà con", closing="Xin cảm ơn bà con đã lắng nghe",
    )  # fmt: skip
    BulletinItem.objects.create(script=script, news=item, sort_order=0)
    BulletinItem.objects.create(script=script, news=item, sort_order=1, text="Tin sửa lại ngắn")
    return script


def test_the_script_reads_its_items_in_order_with_their_times(sites, settings):  # noqa: F811
    settings.NEWS_BULLETIN_WORDS_PER_MINUTE = 180
    script = _script(sites[TOWN])
    parts = script.parts()
    assert [t for t, _x, _s in parts] == ["Mở đầu", "Tiêm chủng mở rộng", "Tiêm chủng mở rộng",
                                          "Kết thúc"]  # fmt: skip
    assert parts[1][2] == 30 and parts[2][1] == "Tin sửa lại ngắn"
    assert script.total_seconds() == sum(s for _t, _x, s in parts)


def test_the_printable_script_is_for_the_sites_editors_only(sites, staff_user_factory):  # noqa: F811
    setup_roles()
    script = _script(sites[TOWN])
    editor = staff_user_factory(communes=[sites[TOWN]["unit"]])
    editor.groups.add(Group.objects.get(name=editors_group_name(sites[TOWN]["unit"])))
    client = Client()
    client.force_login(editor)
    page = client.get(f"/admin/ban-tin/{script.pk}/in/").content.decode()
    assert "Bản tin sáng thứ hai" in page and "Lê Thị Hoa" in page
    assert "1. Mở đầu" in page and "2. Tiêm chủng mở rộng" in page and "Thời lượng đọc" in page
    listing = client.get("/admin/snippets/news/bulletinscript/").content.decode()
    assert f"/admin/ban-tin/{script.pk}/in/" in listing
    other = staff_user_factory(communes=[sites[OTHER]["unit"]])
    other.groups.add(Group.objects.get(name=editors_group_name(sites[OTHER]["unit"])))
    client.force_login(other)
    assert client.get(f"/admin/ban-tin/{script.pk}/in/").status_code == 404
    assert (
        "Bản tin sáng thứ hai"
        not in client.get("/admin/snippets/news/bulletinscript/").content.decode()
    )
