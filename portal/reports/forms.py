"""The filter of the statistics screen: unit, period and report template."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .access import sites_for_reports
from .models import ReportTemplate

MAX_DAYS = 366


class SiteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.site_name or obj.hostname


class StatisticsFilterForm(forms.Form):
    site = SiteChoiceField(label=_("Unit"), queryset=None, empty_label=None)
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    template = forms.ModelChoiceField(
        label=_("Report template"), queryset=ReportTemplate.objects.none(), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites_for_reports(user)
        site_id = str(self.data.get("site") or "")
        if not site_id.isdigit():  # a typed address may hold anything: the user's first site
            site_id = self.fields["site"].queryset.values_list("pk", flat=True).first()
        self.fields["template"].queryset = ReportTemplate.objects.filter(
            Q(site_id=site_id) | Q(site__isnull=True)
        ).order_by("name")

    @staticmethod
    def initial_data(user):
        today = timezone.localdate()
        first = sites_for_reports(user).values_list("pk", flat=True).first()
        return {
            "site": first,
            "date_from": today.replace(day=1),
            "date_to": today,
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", _("The end of the period is before its start."))
            elif end - start > datetime.timedelta(days=MAX_DAYS):
                self.add_error("date_to", _("A period of at most one year."))
        return data
