"""Permissions as the group screen shows them, in Vietnamese.

Wagtail's group edit screen names each model by its verbose name and each permission by the
``name`` stored with it. Two models of Wagtail have no translatable verbose name (``Locale`` and
simple translation's ``SimpleTranslation``, whose permission "submit translations" sits under
"Simple translation"): they are given one here, as is the page chooser of page permissions
(labelled "Page" from its field name). Django stores permission names in English when it creates
them ("Can add group"), and screen readers read them on that screen: after each ``migrate`` they
are written in Vietnamese, from the model's Vietnamese name and Wagtail's catalogue ("Publish any
page" → "Xuất bản mọi trang").
"""

from django.apps import apps
from django.db.models.signals import post_migrate
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Wagtail models whose verbose names are plain English strings.
MODEL_NAMES = {
    ("wagtailcore", "locale"): (_("locale"), _("locales")),
    ("simple_translation", "simpletranslation"): (
        _("content translation"),
        _("content translations"),
    ),
}

DEFAULT_ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def relabel_models():
    for (app_label, model_name), (singular, plural) in MODEL_NAMES.items():
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        # Only what is shown changes: migrations read the options the model declared.
        model._meta.verbose_name = singular
        model._meta.verbose_name_plural = plural
    # The page chooser of "page permissions" is labelled from its field name ("Page").
    from wagtail.users.forms import PagePermissionsForm

    PagePermissionsForm.base_fields["page"].label = _("Page")


def vietnamese_name(permission) -> str:
    """A permission's name in the portal's language: a model's add/change/delete/view by the
    model's name, any other by the catalogue (its English name when none translates it)."""
    model = permission.content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    if model is not None and permission.codename == f"{action}_{model._meta.model_name}":
        if action in DEFAULT_ACTIONS:
            return str(DEFAULT_ACTIONS[action]) % {"model": model._meta.verbose_name}
    return gettext(permission.name)


def translate_permission_names(sender=None, using="default", **kwargs):
    """Write the names in Vietnamese: those of the app just migrated (``post_migrate`` runs for
    each app, after Django created its permissions), or all of them."""
    from django.conf import settings
    from django.contrib.auth.models import Permission

    permissions = Permission.objects.using(using).select_related("content_type")
    if sender is not None:
        permissions = permissions.filter(content_type__app_label=sender.label)
    with translation.override(settings.LANGUAGE_CODE):
        for permission in permissions:
            name = capfirst(vietnamese_name(permission))[:255]
            if name and name != permission.name:
                Permission.objects.using(using).filter(pk=permission.pk).update(name=name)


relabel_models()
post_migrate.connect(translate_permission_names, dispatch_uid="portal_permission_names_vi")
