"""The main menu is built from each site's page tree (pages marked "show in menus"): the sections
the former fixed menu linked to stay in it."""

from django.db import migrations

# The sections directly under a home page (any site, any language) the fixed menu listed.
MENU_SLUGS = [
    "tin-tuc",
    "van-ban",
    "huong-dan-ung-dung",
    "gioi-thieu",
    "organisation",
    "dich-vu-cong",
]


def sections_in_menus(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=3, slug__in=MENU_SLUGS).update(show_in_menus=True)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_alter_organisationpage_contacts"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(sections_in_menus, migrations.RunPython.noop)]
