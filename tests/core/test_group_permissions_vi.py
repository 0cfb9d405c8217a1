"""The group permission screen speaks Vietnamese: model names, permission names (read by screen
readers) and the page chooser's label."""

import re

import pytest
from django.contrib.auth.models import Group

from portal.core.permission_labels import translate_permission_names

pytestmark = pytest.mark.django_db

ENGLISH = [
    "Simple translation",
    "Locale",
    "Can add",
    "Can change",
    "Can delete",
    "Publish any page",
    "Unlock any page",
    ">Page<",
    "Page*",
]


def test_group_edit_screen_has_no_english_names(admin_client):
    translate_permission_names()
    group = Group.objects.create(name="Nhóm thử")
    html = admin_client.get(f"/admin/groups/edit/{group.pk}/").content.decode()
    text = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    for words in ENGLISH:
        assert words not in text, words
    for words in ("Bản dịch nội dung", "Ngôn ngữ", "Được thêm nhóm", "Xuất bản mọi trang"):
        assert words in text, words


def test_names_are_written_again_after_a_migration_adds_permissions():
    from django.apps import apps
    from django.contrib.auth.models import Permission

    perm = Permission.objects.get(codename="add_group")
    Permission.objects.filter(pk=perm.pk).update(name="Can add group")
    translate_permission_names(sender=apps.get_app_config("auth"))
    assert Permission.objects.get(pk=perm.pk).name == "Được thêm nhóm"
