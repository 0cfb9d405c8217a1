from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def field(form, name):
    return form[name] if name in form.fields else None


@register.simple_tag
def address_parts(form, key):
    names = [f"{key}__{p}" for p in ("province", "district", "commune", "detail")]
    bound = [form[n] for n in names if n in form.fields]
    errors = [e for bf in bound for e in bf.errors]
    return {"fields": bound, "errors": errors}


@register.simple_tag
def stored_for(stored, key):
    return (stored or {}).get(key) or []


@register.simple_tag
def file_rules(spec):
    types = ", ".join(t.upper() for t in spec.get("allowed_types") or [])
    return _("Accepted: %(types)s; up to %(count)s files of at most %(size)s MB each.") % {
        "types": types, "count": spec.get("max_count"), "size": spec.get("max_size_mb"),
    }  # fmt: skip


@register.filter
def channel_label(value):
    return {"online": _("Online"), "in_person": _("In person"), "post": _("By public post")}.get(
        value, value
    )


@register.filter
def unaccented(text):
    """Vietnamese text without its marks, for SMS (core.text.unaccent)."""
    from portal.core.text import unaccent

    return unaccent(text)
