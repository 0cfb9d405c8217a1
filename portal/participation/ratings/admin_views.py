"""The ratings dashboard in the admin: most and least useful pages, satisfaction with the
services per procedure and per unit, over a period; as XLSX too."""

import datetime
import io

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.scope import sites_for
from portal.core.spreadsheets import safe_cell

from . import dashboard

LIST_LENGTH = 10


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(
        attrs={"type": "date"}))  # fmt: skip
    date_to = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(
        attrs={"type": "date"}))  # fmt: skip
    site = forms.ModelChoiceField(
        label=gettext_lazy("Site"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("All my sites"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites_for(user)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start of the period is after its end."))
        return data


def _period_defaults():
    today = timezone.localdate()
    return {"date_from": today - datetime.timedelta(days=89), "date_to": today}


def dashboard_view(request):
    user = request.user
    pages_allowed, services_allowed = (
        dashboard.can_see_pages(user),
        dashboard.can_see_services(user),
    )
    if not (pages_allowed or services_allowed):
        raise PermissionDenied
    form = PeriodForm(request.GET if "date_from" in request.GET else _period_defaults(), user=user)
    context = {"form": form, "header_icon": "pick"}
    if form.is_valid():
        data = form.cleaned_data
        start = timezone.make_aware(datetime.datetime.combine(data["date_from"], datetime.time()))
        end = timezone.make_aware(
            datetime.datetime.combine(data["date_to"] + datetime.timedelta(days=1), datetime.time())
        )
        if pages_allowed:
            votes = dashboard.page_votes_for(user).filter(updated_at__gte=start, updated_at__lt=end)
            if data["site"]:
                votes = votes.filter(site=data["site"])
            rows = dashboard.page_rows(votes)
            context["pages"] = rows
            context["most_useful"] = rows[:LIST_LENGTH]
            context["least_useful"] = sorted(rows, key=lambda r: (r.share_yes, -r.votes, r.title))[
                :LIST_LENGTH
            ]
        if services_allowed:
            ratings = dashboard.service_ratings_for(user).filter(
                created_at__gte=start, created_at__lt=end
            )
            if data["site"]:
                ratings = ratings.filter(site=data["site"])
            context["by_service"] = dashboard.service_rows(ratings, "service")
            context["by_unit"] = dashboard.service_rows(ratings, "unit")
        if request.GET.get("format") == "xlsx":
            return _xlsx(context, data)
    return render(request, "ratings/admin/dashboard.html", context)


def _xlsx(context, data) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    if "pages" in context:
        sheet = book.create_sheet(_("Pages")[:31])
        sheet.append([_("Page"), _("Address"), _("Site"), _("Votes"), _("Yes"), _("No"),
                      _("% yes"), _("Reasons")])  # fmt: skip
        for r in context["pages"]:
            reasons = "; ".join(f"{label} ({n})" for label, n in r.reasons)
            sheet.append([safe_cell(v) for v in (r.title, r.url_path, r.site_name, r.votes, r.yes,
                                                 r.no, r.share_yes, reasons)])  # fmt: skip
    for key, title, first in (
        ("by_service", _("By procedure"), _("Procedure")),
        ("by_unit", _("By unit"), _("Unit")),
    ):
        if key not in context:
            continue
        sheet = book.create_sheet(title[:31])
        sheet.append([first, _("Ratings"), _("% satisfied"), _("% neutral"), _("% dissatisfied"),
                      _("What should be better")])  # fmt: skip
        for r in context[key]:
            reasons = "; ".join(f"{label} ({n})" for label, n in r.reasons)
            sheet.append([safe_cell(v) for v in (r.name, r.ratings, r.satisfied, r.neutral,
                                                 r.dissatisfied, reasons)])  # fmt: skip
    buf = io.BytesIO()
    book.save(buf)
    name = f"danh-gia-{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}.xlsx"
    response = HttpResponse(
        buf.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
