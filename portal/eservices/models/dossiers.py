"""Dossiers (hồ sơ) filed online: files, history, drafts, numbering and the e-mail outbox."""

import uuid

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.display import local_date_display
from portal.core.models import optional_unit
from portal.core.storage import get_private_storage
from portal.core.text import fold


class Status(models.TextChoices):
    """The national stages of a dossier (trạng thái hồ sơ)."""

    NEW = "new", _("Newly registered")
    RECEIVED = "received", _("Received")
    REFUSED = "refused", _("Not received")
    PROCESSING = "processing", _("Being processed")
    SUPPLEMENT = "supplement", _("Supplement requested")
    FINANCIAL = "financial", _("Financial obligation requested")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")
    STOPPED = "stopped", _("Processing stopped")
    DONE = "done", _("Processed")
    RETURNED = "returned", _("Result returned")


FINISHED_STATUSES = {Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED}

# Which stage may follow which; the back office offers only these.
TRANSITIONS = {
    Status.NEW: [Status.RECEIVED, Status.REFUSED, Status.SUPPLEMENT, Status.WITHDRAWN],
    Status.RECEIVED: [Status.PROCESSING, Status.SUPPLEMENT, Status.WITHDRAWN, Status.STOPPED],
    Status.PROCESSING: [
        Status.SUPPLEMENT,
        Status.FINANCIAL,
        Status.DONE,
        Status.STOPPED,
        Status.WITHDRAWN,
    ],
    Status.SUPPLEMENT: [Status.PROCESSING, Status.STOPPED, Status.WITHDRAWN],
    Status.FINANCIAL: [Status.PROCESSING, Status.DONE, Status.STOPPED, Status.WITHDRAWN],
    Status.DONE: [Status.RETURNED],
    Status.REFUSED: [],
    Status.WITHDRAWN: [],
    Status.STOPPED: [],
    Status.RETURNED: [],
}


class FormVersion(models.Model):
    """A frozen copy of a procedure's online form; each dossier points at its own."""

    service = models.ForeignKey(
        "eservices.ServicePage", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    form_key = models.CharField(max_length=60)
    digest = models.CharField(max_length=64, unique=True)
    schema = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("form version")

    def __str__(self):
        return f"{self.form_key} {self.digest[:8]}"


class DossierCounter(models.Model):
    """The last dossier number of an agency on a day (the NNNN of the code)."""

    agency = models.CharField(max_length=20)
    day = models.DateField()
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="dossier_counter_day")
        ]

    def __str__(self):
        return f"{self.agency} {self.day:%y%m%d} {self.value}"

    @classmethod
    def next_value(cls, agency: str, day) -> int:
        """Atomically the next number: one statement, safe under concurrent submissions."""
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (agency, day, value) VALUES (%s, %s, 1) "  # noqa: S608  # nosec B608 - the quoted table name of this model, values are parameters
                f"ON CONFLICT (agency, day) DO UPDATE SET value = {table}.value + 1 "
                "RETURNING value",
                [agency, day],
            )
            return cursor.fetchone()[0]


class DossierQuerySet(models.QuerySet):
    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(due_date__lt=today).exclude(status__in=[*FINISHED_STATUSES, Status.DONE])


class Dossier(models.Model):
    """A dossier filed online (hồ sơ trực tuyến) with its frozen answers."""

    code = models.CharField(_("dossier code"), max_length=40, unique=True)
    service = models.ForeignKey(
        "eservices.ServicePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
        verbose_name=_("procedure"),
    )
    service_title = models.CharField(_("procedure"), max_length=255)
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="+")
    agency_code = models.CharField(max_length=20)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    applicant_name = models.CharField(_("applicant"), max_length=200)
    # The name folded (core.text.fold): the desk finds "Nguyễn Thị Hằng" typing "nguyen thi hang".
    applicant_name_folded = models.CharField(max_length=200, blank=True, editable=False)
    applicant_organisation = models.CharField(_("organisation"), max_length=250, blank=True)
    applicant_id_number = models.CharField(_("ID number"), max_length=20, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=400, blank=True)
    commune = optional_unit(_("commune"))
    # The site it was filed on: the receiving unit's (its receipt names that unit's organisation).
    site = models.ForeignKey(
        "wagtailcore.Site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("filed on site"),
    )
    answers = models.JSONField(_("answers"), default=dict)
    # How the applicant asked to hear of progress besides e-mail: "sms", "zalo", or "" / "email".
    notify_channel = models.CharField(_("notified by"), max_length=10, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    due_date = models.DateField(_("due date"), null=True, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True)
    consent_text = models.TextField(_("consent"), blank=True)
    submission_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assignee"),
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        permissions = [("process_dossier", _("Can process dossiers (one-stop desk)"))]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        self.applicant_name_folded = fold(self.applicant_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "applicant_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "applicant_name_folded"}
        super().save(*args, **kwargs)

    @property
    def notifications(self):
        """The messages to the applicant about this dossier (portal.notifications), oldest
        first: e-mails with the receipt and each stage, and the SMS or Zalo they chose."""
        from django.contrib.contenttypes.models import ContentType

        from portal.notifications.models import Notification

        return Notification.objects.filter(
            about_type=ContentType.objects.get_for_model(Dossier), about_id=str(self.pk)
        ).order_by("created_at", "pk")

    @property
    def emails(self):
        """The e-mails among ``notifications``."""
        return self.notifications.filter(channel="email")

    @property
    def is_overdue(self) -> bool:
        return (
            self.due_date is not None
            and self.due_date < timezone.localdate()
            and self.status not in {*FINISHED_STATUSES, Status.DONE}
        )

    @property
    def schema(self) -> dict:
        return self.form_version.schema

    def next_statuses(self):
        return TRANSITIONS.get(Status(self.status), [])

    def open_supplement(self):
        return self.supplements.filter(fulfilled_at__isnull=True).order_by("-created_at").first()


class DossierFile(models.Model):
    """A file of a dossier: an attachment from the applicant or a result from the office."""

    class Kind(models.TextChoices):
        ATTACHMENT = "attachment", _("Attachment")
        RESULT = "result", _("Result")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ATTACHMENT)
    field_key = models.CharField(max_length=40, blank=True)
    file = models.FileField(
        storage=get_private_storage, upload_to="dossiers/%Y/%m/", max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    replaced = models.BooleanField(default=False)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("dossier file")

    def __str__(self):
        return self.original_name


class DossierEvent(models.Model):
    """One entry of a dossier's history: a change of stage or a note, with who and when."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    previous_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("dossier history entry")

    def __str__(self):
        return f"{self.dossier_id} {self.status}"


class SupplementRequest(models.Model):
    """A request to the applicant to supplement named fields and files (yêu cầu bổ sung)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplements")
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    fields = models.JSONField(default=list)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.dossier_id} {local_date_display(self.created_at)}"


class Draft(models.Model):
    """A form in progress (hồ sơ đang soạn): the wizard's state, resumable by a signed link."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    form_key = models.CharField(max_length=60, db_index=True)
    data = models.JSONField(default=dict)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.SET_NULL)
    # Bytes of the uploaded files the draft holds now: the storage caps add these up.
    file_bytes = models.PositiveBigIntegerField(default=0)
    # When the applicant asked for a resume link: drafts without one lose their files sooner.
    link_saved_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return str(self.id)

    @property
    def file_folder(self) -> str:
        return f"drafts/{self.id.hex}"
