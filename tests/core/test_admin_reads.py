"""What the admin's explorer and choosers keep in the shared cache besides permissions (the
locales, the sites with their home pages' paths) is dropped when it changes; the explorer's
filters still offer what Wagtail's would."""

from wagtail.models import Locale, Page, Site

from portal.core.models import AdministrativeUnit
from portal.core.shared_lists import all_locales, sites_with_root_paths
from portal.core.unit_sites import ensure_unit_site
from tests.core.test_sites_editors import OTHER, TOWN, sites, town_editor  # noqa: F401


def test_the_locales_kept_follow_locales_added_and_removed(db):
    assert [locale.pk for locale in all_locales()] == list(
        Locale.objects.order_by("language_code").values_list("pk", flat=True)
    )
    added = Locale.objects.create(language_code="fr")
    assert added.pk in [locale.pk for locale in all_locales()]
    added.delete()
    assert added.pk not in [locale.pk for locale in all_locales()]


def test_the_sites_kept_follow_sites_added_and_home_pages_moved(sites):  # noqa: F811
    def kept():
        return {site.pk: site.portal_root_path for site in sites_with_root_paths()}

    def read():
        return dict(Site.objects.values_list("pk", "root_page__path"))

    assert kept() == read()
    parent = sites[TOWN]["unit"].parent
    unit = AdministrativeUnit.objects.filter(parent=parent).exclude(code__in=(TOWN, OTHER)).first()
    ensure_unit_site(unit)
    assert kept() == read()
    home = Page.objects.get(pk=sites[TOWN]["site"].home.pk)
    home.move(sites[OTHER]["site"].home, pos="last-child")
    assert kept() == read()
    Site.objects.get(pk=sites[TOWN]["site"].site.pk).delete()
    assert kept() == read()


def test_a_site_given_its_portal_is_offered_by_the_explorers_site_filter(
    client,
    sites,  # noqa: F811
    staff_user_factory,
):
    from portal.core import roles

    client.force_login(staff_user_factory(groups=[roles.EDITOR]))  # the district's: every site
    home = sites[TOWN]["site"].home
    html = client.get(f"/admin/pages/{home.pk}/").content.decode()
    parent = sites[TOWN]["unit"].parent
    unit = AdministrativeUnit.objects.filter(parent=parent).exclude(code__in=(TOWN, OTHER)).first()
    new = ensure_unit_site(unit).site
    assert new.site_name not in html
    html = client.get(f"/admin/pages/{home.pk}/").content.decode()
    assert new.site_name in html
    for site in Site.objects.all():
        assert site.site_name in html


def test_the_explorers_filters_offer_the_owners_editors_and_page_types_wagtail_would(
    client,
    sites,  # noqa: F811
    town_editor,  # noqa: F811
    staff_user_factory,
):
    from wagtail.models import get_page_content_types

    from portal.news.models import NewsPage

    owner, editor = staff_user_factory(), staff_user_factory()
    owner.first_name, owner.last_name = "Chủ", "Trần Văn"
    owner.save()
    editor.first_name, editor.last_name = "Sửa", "Lê Thị"
    editor.save()
    news = sites[TOWN]["news"]
    page = news.add_child(instance=NewsPage(title="Tin", summary="x", body=[], owner=owner))
    page.save_revision(user=editor, log_action=True)
    client.force_login(town_editor)
    response = client.get(f"/admin/pages/{news.pk}/")
    form = response.context["filters"].form

    def offered(name):
        return [int(str(value)) for value, _label in form.fields[name].choices if value != ""]

    owners = {u.pk for u in form.fields["owner"].queryset}
    assert owner.pk in offered("owner") and set(offered("owner")) == owners
    editors = {u.pk for u in form.fields["edited_by"].queryset}
    assert editor.pk in offered("edited_by") and set(offered("edited_by")) == editors
    types = get_page_content_types(include_base_page_type=False)
    assert offered("content_type") == [t.pk for t in types]
    sites_offered = offered("site")
    assert sites_offered == [sites[TOWN]["site"].site.pk]
    # A choice sent back is validated as Wagtail's form does.
    filtered = client.get(f"/admin/pages/{news.pk}/?owner={owner.pk}")
    assert filtered.status_code == 200 and "Tin" in filtered.content.decode()
