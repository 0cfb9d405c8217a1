"""What every app shares: administrative units, site settings, staff scope, the audit log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField

from . import blocks
from .display import local_display


class AdministrativeUnitQuerySet(models.QuerySet):
    def provinces(self):
        return self.filter(level=AdministrativeUnit.Level.PROVINCE)

    def districts(self):
        return self.filter(level=AdministrativeUnit.Level.DISTRICT)

    def communes(self):
        return self.filter(level=AdministrativeUnit.Level.COMMUNE)

    def served(self):
        """The communes this portal serves (the district's communes, or the commune itself)."""
        from .units import served_commune_codes

        return self.filter(code__in=served_commune_codes())


class AdministrativeUnit(models.Model):
    """A province, district or commune (tỉnh, huyện, xã), loaded from a data package.

    Rows come from ``manage.py sync_admin_units`` and are never typed by hand.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        DISTRICT = "district", pgettext_lazy("administrative unit level", "District")
        COMMUNE = "commune", pgettext_lazy("administrative unit level", "Commune")

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_with_type = models.CharField(
        pgettext_lazy("administrative unit", "full name"), max_length=120
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, db_index=True)
    kind = models.CharField(_("type"), max_length=20, help_text=_("e.g. xa, thi-tran, huyen"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name with its type, as every screen writes it: "Thị trấn Vĩnh Lộc", not "Vĩnh Lộc"
        (a town, a commune and a ward can share a name, and the type is part of it)."""
        return self.name_with_type or self.name


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """The organisation behind the portal: names, contact, hotlines (Decree 42/2022/NĐ-CP)."""

    organisation_name = models.CharField(
        _("organisation name"), max_length=200, default="Ủy ban nhân dân huyện Vĩnh Lộc"
    )
    organisation_name_en = models.CharField(
        _("organisation name in English"),
        max_length=200,
        default="People's Committee of Vinh Loc District",
    )
    address = models.CharField(
        _("address"), max_length=250, default="Thị trấn Vĩnh Lộc, huyện Vĩnh Lộc, tỉnh Thanh Hóa"
    )
    address_en = models.CharField(
        _("address in English"),
        max_length=250,
        default="Vinh Loc Town, Vinh Loc District, Thanh Hoa Province, Viet Nam",
    )
    phone = models.CharField(_("switchboard phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    responsible_person = models.CharField(
        _("person responsible for the portal"), max_length=200, blank=True
    )
    licence = models.CharField(
        _("licence"),
        max_length=250,
        blank=True,
        help_text=_("The licence number of the electronic information portal, if any."),
    )
    unit = models.OneToOneField(
        "core.AdministrativeUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="site_settings",
        verbose_name=_("administrative unit served"),
        help_text=_(
            "The district, province or commune this site is the portal of. Empty on the parent "
            "site means the unit the platform is installed for."
        ),
    )
    hotlines = StreamField(
        [("hotline", blocks.HotlineBlock())],
        blank=True,
        verbose_name=_("hotlines"),
        help_text=_("Shown in the footer, on the home page and on posters."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("emblem or logo"),
        help_text=_("Shown beside the portal's name in the header. Empty: the national emblem."),
    )
    footer = RichTextField(
        _("footer text"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Added to the footer of every page: office hours, the editorial board…"),
    )

    panels = [
        MultiFieldPanel(
            [
                # Which unit a site serves decides whose data its staff see: superusers only.
                FieldPanel("unit", permission="superuser"),
                FieldPanel("organisation_name"),
                FieldPanel("organisation_name_en"),
                FieldPanel("address"),
                FieldPanel("address_en"),
                FieldPanel("responsible_person"),
                FieldPanel("licence"),
            ],
            heading=_("Organisation"),
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("hotlines")],
            heading=_("Contact"),
        ),
        MultiFieldPanel([FieldPanel("logo"), FieldPanel("footer")], heading=_("Appearance")),
    ]

    class Meta:
        verbose_name = _("portal settings")

    @property
    def primary_hotline(self):
        for block in self.hotlines:
            return block.value
        return None


def optional_unit(verbose_name, **kwargs):
    """An administrative unit a record may name (its commune, district, province): kept when the
    unit list is re-synced, emptied if the unit itself is ever removed."""
    return models.ForeignKey(
        "core.AdministrativeUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=verbose_name,
        **kwargs,
    )


class StaffScope(models.Model):
    """Which communes a staff member works for (phạm vi xã). No row and no communes: none."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_scope"
    )
    all_communes = models.BooleanField(
        _("whole district"), default=False, help_text=_("District staff see every commune.")
    )
    communes = models.ManyToManyField(
        AdministrativeUnit,
        blank=True,
        verbose_name=_("communes"),
        limit_choices_to={"level": AdministrativeUnit.Level.COMMUNE},
    )

    class Meta:
        verbose_name = _("staff scope")
        verbose_name_plural = _("staff scopes")

    def __str__(self):
        return str(self.user)


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")


class AuditEntry(models.Model):
    """One access to personal data (nhật ký truy cập dữ liệu cá nhân): append-only."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("user"),
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    subject = models.CharField(_("data accessed"), max_length=250, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    record_count = models.PositiveIntegerField(_("records"), default=0)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        # Data-subject requests (portal.core.privacy_requests) search, export and erase across
        # every app: a permission of their own, granted by roles.py.
        permissions = [("handle_privacy_request", _("Can answer personal data requests"))]

    def __str__(self):
        return f"{local_display(self.created_at)} {self.username} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")


class RetiredHost(models.Model):
    """A host name that no longer serves a site of its own (its unit was merged, renamed to a new
    host, or retired): requests to it answer a 301 to ``target_site`` (``portal.core.unit_reform``).
    ``paths`` maps an old page path to the id of the page that now answers it; without a match,
    a renamed site keeps the path, a merged or retired one sends to the target's home."""

    class Reason(models.TextChoices):
        MERGED = "merged", _("merged")
        RENAMED = "renamed", _("renamed")
        RETIRED = "retired", _("retired")

    hostname = models.CharField(_("host name"), max_length=255, unique=True)
    target_site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.CASCADE,
        related_name="retired_hosts",
        verbose_name=_("target site"),
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    unit_code = models.CharField(_("former unit's code"), max_length=10, blank=True)
    unit_name = models.CharField(_("former unit"), max_length=255, blank=True)
    paths = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("former host name")
        verbose_name_plural = _("former host names")

    def __str__(self):
        return self.hostname


class BackgroundJob(models.Model):
    """A file made in the background for the staff member who asked (poster exports, reports):
    its state, its error and when it finished. Subclasses add what they make and the file."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
