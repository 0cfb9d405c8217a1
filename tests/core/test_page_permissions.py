"""The portal's page permission tester answers exactly as Wagtail's, without its queries."""

import itertools

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import GroupPagePermission, PagePermissionTester

from portal.news.models import NewsPage
from tests.core.test_sites_editors import TOWN, sites  # noqa: F401

ACTIONS = ("add", "change", "publish", "bulk_delete")
# Every set of them, from none to all four.
EVERY_SET_OF_ACTIONS = [
    c for n in range(len(ACTIONS) + 1) for c in itertools.combinations(ACTIONS, n)
]


def _user_holding(staff_user_factory, root, actions):
    user = staff_user_factory()
    group = Group.objects.create(name="Nhóm " + "-".join(actions) if actions else "Nhóm trống")
    for action in actions:
        GroupPagePermission.objects.create(
            group=group, page=root, permission=Permission.objects.get(codename=f"{action}_page")
        )
    user.groups.add(group)
    return user


@pytest.mark.parametrize("actions", EVERY_SET_OF_ACTIONS)
def test_deleting_a_page_without_children_is_decided_as_wagtail_decides_it(
    sites,  # noqa: F811
    staff_user_factory,
    actions,
):
    home = sites[TOWN]["site"].home
    news = sites[TOWN]["news"]
    user = _user_holding(staff_user_factory, home, actions)
    other = staff_user_factory()
    for live, owner in itertools.product((True, False), (user, other)):
        page = news.add_child(
            instance=NewsPage(
                title=f"Tin {live} {owner.pk}", summary="x", body=[], live=live, owner=owner
            )
        )
        page = NewsPage.objects.get(pk=page.pk)
        with CaptureQueriesContext(connection) as ctx:
            ours = page.permissions_for_user(user).can_delete()
        wagtails = PagePermissionTester(user, page).can_delete()
        assert ours == wagtails, (actions, live, owner == user)
        assert not [q for q in ctx.captured_queries if 'FROM "wagtailcore_page"' in q["sql"]]
    # A section with pages under it is still Wagtail's own answer.
    section = type(news).objects.get(pk=news.pk)
    assert (
        section.permissions_for_user(user).can_delete()
        == PagePermissionTester(user, section).can_delete()
    )


@pytest.mark.parametrize("actions", EVERY_SET_OF_ACTIONS)
def test_deleting_a_section_with_pages_is_decided_as_wagtail_decides_it(
    sites,  # noqa: F811
    staff_user_factory,
    actions,
):
    home = sites[TOWN]["site"].home
    user = _user_holding(staff_user_factory, home, actions)
    other = staff_user_factory()
    news = sites[TOWN]["news"]
    for live, owner, child_live, child_owner in itertools.product(
        (True, False), (user, other), (True, False), (user, other)
    ):
        section = news.add_child(
            instance=NewsPage(
                title=f"Mục {live} {owner.pk} {child_live} {child_owner.pk}",
                summary="x",
                body=[],
                live=live,
                owner=owner,
            )
        )
        section.add_child(
            instance=NewsPage(
                title="Tin con", summary="x", body=[], live=child_live, owner=child_owner
            )
        )
        section = NewsPage.objects.get(pk=section.pk)
        for ignore_bulk in (False, True):
            ours = section.permissions_for_user(user).can_delete(ignore_bulk=ignore_bulk)
            wagtails = PagePermissionTester(user, section).can_delete(ignore_bulk=ignore_bulk)
            assert ours == wagtails, (actions, live, owner == user, child_live, ignore_bulk)


def test_a_live_section_is_not_deletable_without_publishing_and_no_query_says_so(
    sites,  # noqa: F811
    staff_user_factory,
):
    home = sites[TOWN]["site"].home
    user = _user_holding(staff_user_factory, home, ("add", "change", "bulk_delete"))
    news = sites[TOWN]["news"]
    news.add_child(instance=NewsPage(title="Tin", summary="x", body=[], live=False, owner=user))
    section = type(news).objects.get(pk=news.pk)
    assert section.live and not section.is_leaf()
    tester = section.permissions_for_user(user)
    with CaptureQueriesContext(connection) as ctx:
        assert tester.can_delete() is False
    assert not ctx.captured_queries
