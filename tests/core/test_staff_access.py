"""A staff member's permissions kept in the shared cache between requests (core.staff_access):
the same answers as read from the database, and stale as soon as anything they depend on changes.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
    PagePermissionTester,
)
from wagtail.permissions import page_permission_policy

from portal.core import scope
from portal.core.security import AccountBackend
from portal.core.unit_sites import editors_group_name
from portal.news.models import NewsPage
from tests.core.test_sites_editors import OTHER, TOWN, sites, town_editor  # noqa: F401


def _signed_in(user):
    """The user as a request gets them: from the backend, permissions from the cache."""
    return AccountBackend().get_user(user.pk)


def _fresh(user):
    """The user with nothing cached: every answer read from the database."""
    return get_user_model().objects.get(pk=user.pk)


def _answers(user):
    from wagtail.images import get_image_model
    from wagtail.permission_policies.sites import SitePermissionPolicy
    from wagtail.permissions import policy_registry

    from portal.core.models import PortalSettings

    images = policy_registry.get_by_type(get_image_model())

    root = page_permission_policy.explorable_root_instance(user)
    return {
        "perms": sorted(user.get_all_permissions()),
        "pages": sorted(
            (p.page_id, p.page.path, p.permission.codename)
            for p in page_permission_policy.get_cached_permissions_for_user(user)
        ),
        "root": root.pk if root else None,
        "paths": scope.page_paths_for(user),
        "site_paths": scope.page_paths_for(user, scope.SITE_PAGE_PERMISSIONS),
        "images": sorted(
            images.collections_user_has_any_permission_for(user, ["add", "choose"]).values_list(
                "pk", flat=True
            )
        ),
        "collections": sorted(
            (p.collection_id, p.collection.path, p.permission.codename)
            for p in images.get_cached_permissions_for_user(user)
        ),
        "sites": sorted(
            (p.site_id, p.permission.codename)
            for p in SitePermissionPolicy(PortalSettings).get_cached_permissions_for_user(user)
        ),
    }


def test_a_signed_in_editor_gets_the_answers_read_from_the_database(sites, town_editor):  # noqa: F811
    assert _answers(_signed_in(town_editor)) == _answers(_fresh(town_editor))
    # Once stored, signing in asks the database for the user alone.
    _signed_in(town_editor)
    with CaptureQueriesContext(connection) as ctx:
        user = _signed_in(town_editor)
        answers = _answers(user)
    assert answers == _answers(_fresh(town_editor))
    page_queries = [q for q in ctx.captured_queries if "permission" in q["sql"]]
    assert not page_queries, page_queries


def test_wagtails_page_permissions_are_the_same_from_the_cache(sites, town_editor):  # noqa: F811
    _signed_in(town_editor)
    cached, fresh = _signed_in(town_editor), _fresh(town_editor)
    pages = [
        sites[TOWN]["site"].home,
        sites[TOWN]["news"],
        sites[OTHER]["news"],
        Page.get_first_root_node(),
    ]
    checks = (
        "can_add_subpage",
        "can_edit",
        "can_delete",
        "can_publish",
        "can_unpublish",
        "can_publish_subpage",
        "can_reorder_children",
        "can_move",
        "can_copy",
        "can_lock",
        "can_unlock",
        "can_view_revisions",
    )
    for page in pages:
        page = page.specific
        for check in checks:
            ours = getattr(PagePermissionTester(cached, page), check)()
            wagtails = getattr(PagePermissionTester(fresh, page), check)()
            assert ours == wagtails, (page.title, check)


def _primed(user):
    _signed_in(user)  # stores the entry
    return _answers(_signed_in(user))


@pytest.mark.parametrize(
    "change",
    [
        "join group",
        "leave group",
        "group page permission added",
        "group page permission removed",
        "group collection permission added",
        "group site permission added",
        "group model permission added",
        "user model permission added",
        "group deleted",
        "made superuser",
        "deactivated",
        "anchor page moved",
        "collection moved",
    ],
)
def test_every_change_of_who_holds_what_is_seen_on_the_next_request(
    sites,  # noqa: F811
    town_editor,  # noqa: F811
    change,
):
    before = _primed(town_editor)
    group = town_editor.groups.get()
    home = sites[TOWN]["site"].home
    other_home = sites[OTHER]["site"].home
    add_page = Permission.objects.get(codename="add_page", content_type__app_label="wagtailcore")
    if change == "join group":
        town_editor.groups.add(Group.objects.get(name=editors_group_name(sites[OTHER]["unit"])))
    elif change == "leave group":
        group.user_set.remove(town_editor)
    elif change == "group page permission added":
        GroupPagePermission.objects.create(group=group, page=other_home, permission=add_page)
    elif change == "group page permission removed":
        GroupPagePermission.objects.filter(group=group).delete()
    elif change == "group collection permission added":
        GroupCollectionPermission.objects.create(
            group=group,
            collection=sites[OTHER]["site"].collection,
            permission=Permission.objects.get(codename="add_image"),
        )
    elif change == "group site permission added":
        GroupSitePermission.objects.create(
            group=group,
            site=sites[TOWN]["site"].site,
            permission=Permission.objects.get(codename="change_site"),
        )
    elif change == "group model permission added":
        group.permissions.add(Permission.objects.get(codename="change_site"))
    elif change == "user model permission added":
        town_editor.user_permissions.add(Permission.objects.get(codename="change_site"))
    elif change == "group deleted":
        group.delete()
    elif change == "made superuser":
        town_editor.is_superuser = True
        town_editor.save()
    elif change == "deactivated":
        town_editor.is_active = False
        town_editor.save()
        assert _signed_in(town_editor) is None
        return
    elif change == "anchor page moved":
        section = other_home.add_child(
            instance=NewsPage(title="Chỗ mới", summary="x", body=[], live=True)
        )
        Page.objects.get(pk=home.pk).move(section, pos="last-child")
    elif change == "collection moved":
        collection = Collection.objects.get(pk=sites[TOWN]["site"].collection.pk)
        collection.move(sites[OTHER]["site"].collection, pos="sorted-child")
    after = _answers(_signed_in(town_editor))
    assert after == _answers(_fresh(town_editor))
    assert after != before


def test_an_entry_is_for_its_user_only(sites, town_editor, staff_user_factory):  # noqa: F811
    _primed(town_editor)
    stranger = staff_user_factory()
    assert _answers(_signed_in(stranger)) == _answers(_fresh(stranger))
    assert scope.page_paths_for(_signed_in(stranger)) == frozenset()


def _form_fields(html):
    """The values a browser would post from the page's main form."""
    from html.parser import HTMLParser

    fields = []

    class Parser(HTMLParser):
        select = None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            name = attrs.get("name")
            if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
                if attrs.get("type") in ("checkbox", "radio"):
                    if "checked" in attrs:
                        fields.append((name, attrs.get("value", "on")))
                else:
                    fields.append((name, attrs.get("value", "")))
            elif tag == "select":
                self.select = name
            elif tag == "option" and self.select and "selected" in attrs:
                fields.append((self.select, attrs.get("value", "")))

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None

    Parser().feed(html)
    return fields


def test_a_page_permission_given_in_wagtails_group_editor_is_seen_on_the_next_request(
    client,
    sites,  # noqa: F811
    town_editor,  # noqa: F811
    staff_user_factory,
):
    before = _primed(town_editor)
    group = town_editor.groups.get()
    url = f"/admin/groups/edit/{group.pk}/"
    client.force_login(staff_user_factory(superuser=True))
    page = client.get(url)
    assert page.status_code == 200
    data = {}
    for name, value in _form_fields(page.content.decode()):
        data.setdefault(name, []).append(value)
    prefix = "page_permissions"
    total = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data[f"{prefix}-TOTAL_FORMS"] = [str(total + 1)]
    data[f"{prefix}-{total}-page"] = [str(sites[OTHER]["site"].home.pk)]
    data[f"{prefix}-{total}-permissions"] = ["add_page"]  # the form's values are codenames
    response = client.post(url, data)
    assert response.status_code == 302
    assert GroupPagePermission.objects.filter(group=group, page=sites[OTHER]["site"].home).exists()
    after = _answers(_signed_in(town_editor))
    assert after == _answers(_fresh(town_editor))
    assert after != before
