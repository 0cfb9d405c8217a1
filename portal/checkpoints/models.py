"""Checkpoints (điểm kiểm dịch), their codes, check-ins, poster exports and the retention log."""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from portal.core.display import local_display
from portal.core.models import BackgroundJob, optional_unit
from portal.core.storage import get_private_storage
from portal.core.text import fold

from . import codes

# A stay can never last longer than this: it bounds every overlap query from below, so tracing
# reads an index range instead of scanning every earlier check-in.
MAX_STAY = timedelta(hours=24)


def served_communes_q():
    from portal.core.units import served_commune_codes

    return Q(level="commune", code__in=served_commune_codes())


class Checkpoint(ClusterableModel):
    """A checkpoint (điểm kiểm dịch): an office, school, market… where visitors check in."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("Government office")
        SCHOOL = "school", _("School")
        MARKET = "market", _("Market")
        HEALTH = "health", _("Health facility")
        SHOP = "shop", _("Shop")
        CULTURE = "culture", _("Village cultural house")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.OFFICE)
    commune = models.ForeignKey(
        "core.AdministrativeUnit",
        on_delete=models.PROTECT,
        related_name="checkpoints",
        verbose_name=_("commune"),
        limit_choices_to=served_communes_q,
    )
    address = models.CharField(_("address"), max_length=250)
    responsible_name = models.CharField(_("person responsible"), max_length=120, blank=True)
    responsible_phone = models.CharField(
        _("phone of the person responsible"), max_length=15, blank=True
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive checkpoints refuse check-ins.")
    )
    code = models.CharField(_("code"), max_length=32, unique=True, editable=False)
    short_code = models.CharField(_("short code"), max_length=8, unique=True, editable=False)
    code_issued_on = models.DateField(_("code issued on"), editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("updated by"),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("kind"), FieldPanel("commune"), FieldPanel("address")],
            heading=_("Checkpoint"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("responsible_name"),
                FieldPanel("responsible_phone"),
                FieldPanel("is_active"),
            ],
            heading=_("Contact"),
        ),
        InlinePanel(
            "sub_locations", heading=_("Sub-locations (optional)"), label=_("sub-location")
        ),
    ]

    class Meta:
        ordering = ["commune__code", "name"]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="checkpoint_unique_name")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.code:
            self.assign_new_codes()
        super().save(*args, **kwargs)

    def assign_new_codes(self):
        self.code = codes.new_code()
        while True:
            short = codes.new_short_code()
            taken = Checkpoint.objects.filter(short_code=short).exists()
            if not taken and not RevokedCode.objects.filter(short_code=short).exists():
                break
        self.short_code = short
        self.code_issued_on = timezone.localdate()

    @transaction.atomic
    def reissue_code(self, user=None):
        """Revoke the current code (old posters then say so) and issue a new one."""
        RevokedCode.objects.create(
            checkpoint=self,
            code=self.code,
            short_code=self.short_code,
            issued_on=self.code_issued_on,
            revoked_by=user,
        )
        self.assign_new_codes()
        self.updated_by = user
        self.save()

    @property
    def checkin_path(self):
        return f"/c/{self.code}"

    @property
    def site_base_url(self):
        """The address of the site of the checkpoint's commune (else of its nearest parent
        unit's): its QR, poster and verification links name that host. Once per instance: a
        bulk export asks for it several times per poster."""
        memo = self.__dict__.setdefault("_site_base_url", {})
        if self.commune_id not in memo:
            from portal.core.sites import site_base_url, site_for_unit

            memo[self.commune_id] = site_base_url(site_for_unit(self.commune))
        return memo[self.commune_id]

    @property
    def checkin_url(self):
        return self.site_base_url + self.checkin_path

    @property
    def short_code_display(self):
        return codes.format_short_code(self.short_code)

    @property
    def verification_code(self):
        return codes.verification_code(self.code, self.code_issued_on)

    @property
    def verification_url(self):
        return f"{self.site_base_url}/kiem-tra-ap-phich/?ma={self.short_code}"


class SubLocation(Orderable):
    """A part of a checkpoint where people gather (a classroom, a market stall…)."""

    checkpoint = ParentalKey(Checkpoint, on_delete=models.CASCADE, related_name="sub_locations")
    name = models.CharField(_("name"), max_length=100)

    panels = [FieldPanel("name")]

    class Meta(Orderable.Meta):
        verbose_name = _("sub-location")
        verbose_name_plural = _("sub-locations")

    def __str__(self):
        return self.name


class RevokedCode(models.Model):
    """A code printed on posters that are no longer valid (lost, copied, or the place changed)."""

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.CASCADE, related_name="revoked_codes"
    )
    code = models.CharField(max_length=32, unique=True)
    short_code = models.CharField(max_length=8, db_index=True)
    issued_on = models.DateField()
    revoked_at = models.DateTimeField(default=timezone.now)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("revoked code")
        verbose_name_plural = _("revoked codes")

    def __str__(self):
        return self.short_code


class CheckInQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.name_folded = fold(obj.full_name)
        return super().bulk_create(objs, *args, **kwargs)


class CheckIn(models.Model):
    """One stay of one person at a checkpoint (lượt ra/vào), from a QR scan or a paper record."""

    class Source(models.TextChoices):
        QR = "qr", _("QR code scanned by the visitor")
        PAPER = "paper", _("Paper record entered by staff")
        STAFF_SCAN = "staff", _("Personal QR scanned by staff")

    # Every index is written on every check-in, the busiest write of the portal: the checkpoint's
    # is the first column of checkin_place_time; the rare sub-location and staff member are in
    # partial indexes of the rows that have one; the token's uniqueness needs no pattern index.
    checkpoint = models.ForeignKey(
        Checkpoint,
        on_delete=models.PROTECT,
        related_name="checkins",
        verbose_name=_("checkpoint"),
        db_index=False,
    )
    sub_location = models.ForeignKey(
        SubLocation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sub-location"),
        db_index=False,
    )
    full_name = models.CharField(_("full name"), max_length=120)
    # The name folded (core.text.fold): staff find "Nguyễn Thị Hằng" typing "nguyen thi hang".
    name_folded = models.CharField(max_length=120, blank=True, editable=False)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    id_number = models.CharField(_("ID number"), max_length=12, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), default=timezone.now)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    closed_automatically = models.BooleanField(_("checked out automatically"), default=False)
    source = models.CharField(_("source"), max_length=5, choices=Source.choices, default=Source.QR)
    has_symptoms = models.BooleanField(_("symptoms in the last 14 days"), default=False)
    had_contact = models.BooleanField(_("contact with a case"), default=False)
    travelled = models.BooleanField(_("travelled from an affected area"), default=False)
    declaration_id = models.PositiveBigIntegerField(_("health declaration"), null=True, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    # Lets the visitor's browser (or the confirmation URL) check out without an account.
    token = models.CharField(max_length=32, default=codes.new_code, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
        db_index=False,
    )
    paper_row = models.CharField(_("paper sheet / row"), max_length=20, blank=True)

    # Wagtail's reference index would add four queries and one row to every check-in.
    wagtail_reference_index_ignore = True

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_in_at"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        permissions = [("trace_contacts", _("Can trace contacts of a case"))]
        indexes = [
            models.Index(fields=["checkpoint", "checked_in_at"], name="checkin_place_time"),
            models.Index(fields=["phone", "checked_in_at"], name="checkin_phone_time"),
            models.Index(fields=["id_number", "checked_in_at"], name="checkin_idnum_time"),
            models.Index(fields=["checked_in_at"], name="checkin_time"),
            models.Index(
                fields=["checked_in_at"],
                name="checkin_open",
                condition=Q(checked_out_at__isnull=True),
            ),
            models.Index(
                fields=["sub_location"],
                name="checkin_sub_location",
                condition=Q(sub_location__isnull=False),
            ),
            models.Index(
                fields=["entered_by"],
                name="checkin_entered_by",
                condition=Q(entered_by__isnull=False),
            ),
        ]
        constraints = [models.UniqueConstraint(fields=["token"], name="checkin_token_unique")]

    def __str__(self):
        # No name or number: Wagtail writes this title into its action log, which outlives the
        # retention period and erasure requests. Staff read the name in the record itself.
        return _("Check-in #%(id)s, %(time)s") % {
            "id": self.pk or "–",
            "time": local_display(self.checked_in_at),
        }

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.full_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_folded"}
        super().save(*args, **kwargs)

    @property
    def has_risk(self):
        return self.has_symptoms or self.had_contact or self.travelled

    @property
    def is_open(self):
        return self.checked_out_at is None

    def effective_end(self, now=None):
        """When the stay ended, or when it is assumed to end if the visitor never checked out."""
        if self.checked_out_at:
            return self.checked_out_at
        auto = self.checked_in_at + auto_checkout_after()
        return min(auto, now or timezone.now())

    @property
    def person_key(self):
        return self.phone or self.id_number or f"#{self.pk}"


def auto_checkout_after() -> timedelta:
    hours = getattr(settings, "CHECKPOINTS_AUTO_CHECKOUT_HOURS", 4)
    return min(timedelta(hours=hours), MAX_STAY)


class PosterExport(BackgroundJob):
    """A zip of posters built in the background (tải áp phích hàng loạt)."""

    class Size(models.TextChoices):
        A4 = "A4", "A4"
        A5 = "A5", "A5"

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        PNG = "png", "PNG"
        BOTH = "both", _("PDF and PNG")

    commune = optional_unit(
        _("commune"),
        help_text=_("Leave empty for every commune you work on."),
    )
    size = models.CharField(_("paper size"), max_length=2, choices=Size.choices, default=Size.A4)
    file_format = models.CharField(
        _("format"), max_length=4, choices=Format.choices, default=Format.PDF
    )
    total = models.PositiveIntegerField(_("posters"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    file = models.FileField(
        _("file"), storage=get_private_storage, upload_to="checkpoints/posters/", blank=True
    )

    class Meta(BackgroundJob.Meta):
        verbose_name = _("poster export")
        verbose_name_plural = _("poster exports")

    def __str__(self):
        where = self.commune or _("all communes")
        return f"{self.get_size_display()} {where} {local_display(self.created_at)}"

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0


class RetentionRun(models.Model):
    """One run of the retention task: how much personal data was deleted, and when."""

    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True)
    cutoff = models.DateTimeField(_("deleted everything before"))
    checkins_deleted = models.PositiveIntegerField(_("check-ins deleted"), default=0)
    declarations_deleted = models.PositiveIntegerField(
        _("health declarations deleted"), null=True, blank=True
    )

    class Meta:
        ordering = ["-ran_at"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self):
        return f"{local_display(self.ran_at)}: {self.checkins_deleted}"
