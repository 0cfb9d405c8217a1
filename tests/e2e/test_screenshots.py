"""`make screenshots`: phone and desktop screenshots of every public page type and admin screen.

Written to ``screenshots/`` (git-ignored) for people to look at; runs only with ``--screenshots``.
"""

import re
from pathlib import Path

import pytest

from tests.e2e.pages import ADMIN, PUBLIC, resolve

pytestmark = [pytest.mark.e2e, pytest.mark.screenshots]

OUT = Path(__file__).resolve().parents[2] / "screenshots"
ADMIN_USER = ("admin", "vinhloc-demo-2021")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@pytest.fixture(scope="module")
def page_types(portal, django_db_blocker):
    with django_db_blocker.unblock():
        return resolve(PUBLIC), resolve(ADMIN)


def _shoot(page, folder: Path, name: str):
    folder.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(folder / f"{_slug(name)}.png"), full_page=True)


def _log_in(page):
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(ADMIN_USER[0])
    page.locator("input[name=password]").fill(ADMIN_USER[1])
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_screenshots_of_every_public_page_type(device, page_types, request):
    page = request.getfixturevalue(device)
    public, _ = page_types
    for name, path in public.found.items():
        page.goto(path)
        _shoot(page, OUT / device / "public", name)
    assert not public.missing, f"page types not available yet: {public.missing}"


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_screenshots_of_every_admin_screen(device, page_types, request):
    page = request.getfixturevalue(device)
    _, admin = page_types
    page.goto("/admin/login/")
    _shoot(page, OUT / device / "admin", "admin login")
    _log_in(page)
    for name, path in admin.found.items():
        if name == "admin login":
            continue
        page.goto(path)
        _shoot(page, OUT / device / "admin", name)
    assert not admin.missing, f"admin screens not available yet: {admin.missing}"
