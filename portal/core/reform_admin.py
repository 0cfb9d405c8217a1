"""The admin's "Sắp xếp đơn vị hành chính" view (Settings): forms for merging, renaming and
retiring units' sites, each with a confirmation step, for superusers only. It calls the same
service as the management commands (``portal.core.unit_reform``)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .unit_reform import ReformError, merge_units, rename_unit, retire_unit


def can_reform(user) -> bool:
    return user.is_active and user.is_superuser


class MergeForm(forms.Form):
    from_codes = forms.CharField(
        label=_("Codes of the merged units"),
        help_text=_("One or more unit codes, separated by commas or spaces."),
        max_length=200,
    )
    into = forms.CharField(label=_("Code of the unit they merge into"), max_length=10)

    def run(self, request, dry_run):
        codes = self.cleaned_data["from_codes"].replace(",", " ").split()
        return merge_units(codes, self.cleaned_data["into"], dry_run=dry_run, request=request)


class RenameForm(forms.Form):
    code = forms.CharField(label=_("Unit code"), max_length=10)
    name = forms.CharField(
        label=_("New name (with the unit type)"),
        help_text=_("For example: Xã Vĩnh An."),
        max_length=120,
    )
    host = forms.CharField(label=_("New host name (optional)"), max_length=255, required=False)

    def run(self, request, dry_run):
        data = self.cleaned_data
        return rename_unit(data["code"], data["name"], host=data["host"], request=request)


class RetireForm(forms.Form):
    code = forms.CharField(label=_("Unit code"), max_length=10)
    redirect_to = forms.CharField(
        label=_("Redirect to the site of unit (code, optional)"),
        help_text=_("Empty: the parent site."),
        max_length=10,
        required=False,
    )

    def run(self, request, dry_run):
        data = self.cleaned_data
        return retire_unit(data["code"], redirect_to=data["redirect_to"], request=request)


EVENTS = {
    "merge": (_("Merge units"), MergeForm),
    "rename": (_("Rename a unit"), RenameForm),
    "retire": (_("Retire a unit's site"), RetireForm),
}


def unit_reform(request):
    """GET: the three forms. POST with ``event``: the form checked, then a confirmation page;
    POST with ``confirm``: the event done, its report shown."""
    if not can_reform(request.user):
        raise PermissionDenied
    forms_ = {key: form_class(prefix=key) for key, (_title, form_class) in EVENTS.items()}
    context = {"events": [], "result": None, "confirm": None, "error": None}
    event = request.POST.get("event") if request.method == "POST" else None
    if event in EVENTS:
        form = EVENTS[event][1](request.POST, prefix=event)
        forms_[event] = form
        if form.is_valid():
            confirmed = "confirm" in request.POST
            try:
                if confirmed:
                    context["result"] = form.run(request, dry_run=False)
                else:
                    if event == "merge":
                        preview = form.run(request, dry_run=True)
                        context["preview"] = preview.lines[:-1]
                    else:
                        _check(event, form.cleaned_data)
                    context["confirm"] = {"event": event, "title": EVENTS[event][0], "form": form}
            except ReformError as exc:
                context["error"] = str(exc)
    context["events"] = [(key, EVENTS[key][0], forms_[key]) for key in EVENTS]
    return TemplateResponse(request, "core/reform/unit_reform.html", context)


def _check(event, data):
    """What can be refused before the confirmation step."""
    from .unit_reform import site_of, unit_by_code

    unit = unit_by_code(data["code"])
    if event == "rename":
        site_of(unit)
    elif data.get("redirect_to"):
        if unit_by_code(data["redirect_to"]).pk == unit.pk:
            raise ReformError("Không thể chuyển hướng trang về chính nó.")


@hooks.register("register_admin_urls")
def register_urls():
    return [path("sap-xep-don-vi/", unit_reform, name="core_unit_reform")]


class ReformMenuItem(MenuItem):
    def is_shown(self, request):
        return can_reform(request.user)


@hooks.register("register_settings_menu_item")
def reform_menu_item():
    return ReformMenuItem(
        _("Administrative unit reform"), reverse("core_unit_reform"), icon_name="site", order=910
    )
