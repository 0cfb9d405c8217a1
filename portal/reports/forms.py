"""The filter of the statistics screen: units, period and report template; and the admin form of
a report template, limited to the sites of whoever edits it."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from portal.core.scope import site_ids_for

from .access import sites_for_reports, templates_for

MAX_DAYS = 366
# Units picked one by one; for every commune of a district, its site rolls them all up.
MAX_UNITS = 30


class SiteChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.site_name or obj.hostname


def _picked_ids(data) -> list[int]:
    values = data.getlist("site") if hasattr(data, "getlist") else data.get("site") or []
    if not isinstance(values, list | tuple):
        values = [values]
    return [int(v) for v in (str(v).strip() for v in values) if v.isdigit()]


class StatisticsFilterForm(forms.Form):
    site = SiteChoiceField(
        label=_("Units"),
        queryset=None,
        help_text=_("Hold Ctrl (⌘ on a Mac) to pick several units: their figures are added up."),
        error_messages={
            "invalid_choice": _("One of the units picked is not one you make reports for."),
            "invalid_pk_value": _("“%(pk)s” is not a unit."),
            "required": _("Choose at least one unit."),
        },
    )
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    template = forms.ModelChoiceField(
        label=_("Report template"),
        queryset=None,
        required=False,
        error_messages={
            "invalid_choice": _("This template is not one of the templates of the units picked.")
        },
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        sites = sites_for_reports(user)
        self.fields["site"].queryset = sites
        picked = _picked_ids(self.data)
        if not picked:  # a typed address may hold anything: the user's first site
            picked = list(sites.values_list("pk", flat=True)[:1])
        # The templates of the units picked (those the user reports for) and the shared ones.
        self.fields["template"].queryset = templates_for(user, picked).order_by("name")

    @staticmethod
    def initial_data(user):
        today = timezone.localdate()
        first = sites_for_reports(user).values_list("pk", flat=True).first()
        return {
            "site": [first] if first else [],
            "date_from": today.replace(day=1),
            "date_to": today,
        }

    def clean_site(self):
        sites = self.cleaned_data["site"]
        if len(sites) > MAX_UNITS:
            raise forms.ValidationError(
                _(
                    "At most %(n)s units at once; for every commune of the district, choose the "
                    "district's site."
                ),
                params={"n": MAX_UNITS},
            )
        # In the order of the list (the district first), the same every time.
        order = [site.pk for site in self.fields["site"].queryset]
        return sorted(sites, key=lambda site: order.index(site.pk))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", _("The end of the period is before its start."))
            elif end - start > datetime.timedelta(days=MAX_DAYS):
                self.add_error("date_to", _("A period of at most one year."))
        template, sites = data.get("template"), data.get("site")
        if template is not None and template.site_id and sites:
            if template.site_id not in {site.pk for site in sites}:
                self.add_error(
                    "template",
                    _("This template is not one of the templates of the units picked."),
                )
        return data


class ReportTemplateForm(WagtailAdminModelForm):
    """A template's site is one the editor edits; only district-wide staff leave it empty
    (a template every unit may use)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        field = self.fields.get("site")
        if user is None or field is None:
            return
        field.queryset = sites_for_reports(user)
        if site_ids_for(user) is not None:
            field.required = True
            field.empty_label = None
            field.help_text = _("The unit whose staff use this template.")
