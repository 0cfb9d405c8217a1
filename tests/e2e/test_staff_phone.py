"""Commune staff and health officials on a 360 px phone: the checkpoint list's row menu, paper
entry as one card per row, the tracing form's checkpoints grouped by commune and searchable.

Screenshots go to ``$CKP_SCREENSHOTS`` when it is set (to look at them)."""

import os
import re

import pytest

from tests.e2e.helpers import axe_check, log_in

pytestmark = pytest.mark.e2e

WIDTH = 360


def shot(page, name):
    folder = os.environ.get("CKP_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def assert_on_screen(locator):
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH + 1, box


def test_commune_staff_reach_every_row_action_from_the_row_menu(phone):
    log_in(phone, "canboxa")
    phone.goto("/admin/checkpoints/diem/")
    row = phone.locator("tbody tr").first
    menu = row.locator("[data-controller='w-dropdown'] button").first
    assert_on_screen(menu)
    # Nothing on the page is wider than the phone: no link runs off the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= WIDTH
    menu.tap()
    for label in ("A4 PNG", "A5 PDF", "Tờ khai giấy", "Sổ theo dõi ra/vào", "Nhập sổ giấy",
                  "Thu hồi và cấp lại mã"):  # fmt: skip
        item = phone.get_by_role("menuitem", name=label).or_(
            phone.locator("[data-w-dropdown-target='content'] a", has_text=label)
        )
        item.first.wait_for()
        assert_on_screen(item.first)
    shot(phone, "checkpoint-list-menu")
    axe_check(phone, what="checkpoint list, row menu open")
    with phone.expect_download() as info:
        phone.locator("[data-w-dropdown-target='content'] a", has_text="A4 PNG").first.tap()
    assert info.value.suggested_filename.endswith(".png")

    # Paper entry from the same menu: at phone width each row is a card of labelled fields.
    phone.goto("/admin/checkpoints/diem/")
    menu.tap()
    phone.locator("[data-w-dropdown-target='content'] a", has_text="Nhập sổ giấy").first.tap()
    phone.wait_for_url(re.compile(r"/admin/checkpoints/paper-entry/\d+/"))
    first = phone.locator("tr.ckp-paper__row").first
    for label in ("Họ và tên", "Điện thoại", "Số CCCD"):
        field = first.get_by_label(re.compile(label, re.I))
        assert field.is_visible(), label
        assert_on_screen(field)
    assert phone.evaluate("document.documentElement.scrollWidth") <= WIDTH
    shot(phone, "paper-entry-cards")
    first.get_by_label(re.compile("Giờ vào", re.I)).fill("08:30")
    first.get_by_label(re.compile("Họ và tên", re.I)).fill("Trần Văn Sổ")
    first.get_by_label(re.compile("Điện thoại", re.I)).fill("0912777888")
    axe_check(phone, what="paper entry at phone width")
    phone.get_by_role("button", name="Lưu các dòng").tap()
    phone.locator(".messages").wait_for()
    assert "1" in phone.locator(".messages").inner_text()


def test_health_official_finds_a_checkpoint_by_commune_and_sees_the_window(phone):
    log_in(phone, "yte")
    phone.goto("/admin/checkpoints/trace/?mode=visitors")
    window = phone.locator("#ckp-window")
    assert "từ đầu ngày hôm qua đến bây giờ" in window.inner_text()
    select = phone.locator("select[name=checkpoint]")
    groups = select.locator("optgroup")
    assert groups.count() >= 2
    labels = groups.evaluate_all("gs => gs.map(g => g.label)")
    assert all(label.strip() for label in labels) and len(set(labels)) == len(labels)
    everything = select.locator("option:not([value=''])").count()
    # Typed without accents, the list narrows as one types, to one commune's group.
    commune = labels[0]
    phone.locator("#ckp-search").fill(commune.lower())
    narrowed = select.locator("option:not([value=''])").count()
    assert 0 < narrowed < everything
    assert select.locator("optgroup").evaluate_all("gs => gs.map(g => g.label)") == [commune]
    assert "điểm phù hợp" in phone.locator("#ckp-search-count").inner_text()
    shot(phone, "tracing-visitors-search")
    axe_check(phone, what="tracing, visitors of a checkpoint")
    select.select_option(index=1)
    assert phone.evaluate("document.documentElement.scrollWidth") <= WIDTH
    phone.get_by_role("button", name="Tra cứu").tap()
    title = phone.locator("h2", has_text="Người đến")
    title.wait_for()
    shot(phone, "tracing-visitors-result")
    assert re.search(r"từ \d\d/\d\d/\d{4} 00:00 đến", title.inner_text()), title.inner_text()


def test_paper_entry_stays_a_table_on_a_desktop(desktop, db_access):
    from portal.checkpoints.models import Checkpoint
    from portal.core.scope import filter_by_commune

    log_in(desktop, "canboxa")
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="canboxa")
    checkpoint = filter_by_commune(Checkpoint.objects.all(), user).first()
    desktop.goto(f"/admin/checkpoints/paper-entry/{checkpoint.pk}/")
    table = desktop.locator("table.ckp-paper")
    assert table.locator("thead").is_visible()
    # One line per row: the cells' own labels are for screen readers only.
    assert table.locator(".ckp-paper__label").first.bounding_box()["width"] <= 1
    first, second = table.locator("tbody tr").nth(0), table.locator("tbody tr").nth(1)
    assert first.bounding_box()["height"] < 100
    assert second.bounding_box()["y"] > first.bounding_box()["y"]
    name = first.get_by_label("Họ và tên")
    phone_box = first.get_by_label("Điện thoại").bounding_box()
    assert abs(name.bounding_box()["y"] - phone_box["y"]) < 5  # side by side in one row
    shot(desktop, "paper-entry-desktop")
