"""The work schedule of a unit's leaders (lịch công tác): each site has its own."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from portal.core.scope import sites_for


def week_bounds(year: int, week: int):
    """Monday 00:00 and next Monday 00:00 (local time) of an ISO week; ValueError if none."""
    monday = datetime.date.fromisocalendar(year, week, 1)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=tz)
    return start, start + datetime.timedelta(days=7)


class MeetingQuerySet(models.QuerySet):
    def in_week(self, year: int, week: int):
        start, end = week_bounds(year, week)
        return self.filter(start__gte=start, start__lt=end)


class MeetingForm(WagtailAdminModelForm):
    """The site is one of those the editor may edit; theirs by default when they have one."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        field = self.fields.get("site")
        if field is None or for_user is None:
            return
        field.queryset = sites_for(for_user)
        field.empty_label = None
        if self.instance.pk is None and not self.initial.get("site"):
            first = field.queryset.first()
            if first is not None:
                self.initial["site"] = first.pk


class Meeting(models.Model):
    """A meeting or working visit of a unit's leaders (cuộc họp, buổi làm việc), on the work
    schedule of that unit's site."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="meetings",
        help_text=_("The portal whose work schedule lists this meeting."),
    )
    start = models.DateTimeField(_("starts"), db_index=True)
    end = models.DateTimeField(_("ends"), null=True, blank=True)
    title = models.CharField(_("what"), max_length=300)
    chair = models.CharField(_("chaired by"), max_length=200)
    participants = models.TextField(_("participants"), blank=True)
    place = models.CharField(_("place"), max_length=200)
    preparation = models.CharField(_("prepared by"), max_length=200, blank=True)
    is_online = models.BooleanField(
        _("online meeting"), default=False, help_text=_("Họp, giao ban trực tuyến.")
    )
    online_link = models.URLField(_("link to join"), blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    base_form_class = MeetingForm
    panels = [
        FieldPanel("site"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("chair"), FieldPanel("preparation")]),
        FieldPanel("participants"),
        MultiFieldPanel(
            [FieldPanel("place"), FieldPanel("is_online"), FieldPanel("online_link")],
            heading=_("Where"),
        ),
        FieldRowPanel([FieldPanel("cancelled"), FieldPanel("note")]),
    ]

    class Meta:
        ordering = ["start"]
        verbose_name = _("meeting")
        verbose_name_plural = _("work schedule")

    def __str__(self):
        local = timezone.localtime(self.start)
        return f"{local:%d/%m/%Y %H:%M} {self.title}"

    def clean(self):
        if self.end and self.start and self.end <= self.start:
            raise ValidationError({"end": _("A meeting ends after it starts.")})
        if self.online_link and not self.is_online:
            self.is_online = True

    @property
    def iso_week(self):
        year, week, _day = timezone.localtime(self.start).isocalendar()
        return year, week
