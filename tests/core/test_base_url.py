"""Absolute addresses (workflow e-mails, feeds, the sitemap) carry BASE_URL's host, not the
``localhost:80`` Wagtail's migration gives the first site."""

import pytest
from django.core import mail
from django.core.management import call_command
from wagtail.models import Page, Site

from portal.core import roles

pytestmark = pytest.mark.django_db

PUBLIC = "https://vinhloc.thanhhoa.gov.vn"


def test_workflow_e_mails_link_to_the_public_host_after_migrate(demo, settings, staff_user_factory):
    settings.BASE_URL = settings.WAGTAILADMIN_BASE_URL = PUBLIC
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    call_command("migrate", verbosity=0)  # what every deployment runs (scripts/entrypoint.sh)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("vinhloc.thanhhoa.gov.vn", 443, PUBLIC)

    editor = staff_user_factory(groups=[roles.EDITOR])
    approver = staff_user_factory(groups=[roles.APPROVER])
    editor.email, approver.email = "editor@vinhloc.example", "approver@vinhloc.example"
    editor.save()
    approver.save()
    home = site.root_page
    page = home.add_child(instance=Page(title="Thông báo lịch tiêm", slug="lich-tiem", live=False))
    page.save_revision()
    state = page.get_workflow().start(page, editor)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, approver, "approve")

    bodies = [m.body + "".join(a[0] for a in getattr(m, "alternatives", [])) for m in mail.outbox]
    assert any(f"{PUBLIC}/lich-tiem/" in body for body in bodies), bodies
    assert not any("localhost" in body or "127.0.0.1" in body for body in bodies), bodies


def test_a_site_named_by_an_administrator_is_left_alone(demo, settings):
    settings.BASE_URL = PUBLIC
    Site.objects.filter(is_default_site=True).update(hostname="cong.vinhloc.vn", port=443)
    call_command("migrate", verbosity=0)
    assert Site.objects.get(is_default_site=True).hostname == "cong.vinhloc.vn"
