"""Questions and feedback (hỏi đáp, phản ánh – kiến nghị): what a citizen sent, its handling
history, its files, and what of it is published once answered."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.models import optional_unit
from portal.core.storage import get_private_storage
from portal.core.text import fold


class Kind(models.TextChoices):
    QUESTION = "question", _("Question")
    FEEDBACK = "feedback", _("Feedback or petition")


class Status(models.TextChoices):
    NEW = "new", _("Received")
    ASSIGNED = "assigned", _("Being handled")
    WAITING = "waiting", _("Waiting for more information")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.NEW, Status.ASSIGNED, Status.WAITING)


SHOWN_STATUSES = (Status.ANSWERED, Status.CLOSED)
# The fields ``Question.is_shown`` reads (attribute names).
SHOWN_FIELDS = ("published", "publish_allowed", "duplicate_of_id", "status", "answer")


class QuestionQuerySet(models.QuerySet):
    def overdue(self, today=None):
        """Open items past their due date; waiting for the asker does not count against staff."""
        today = today or timezone.localdate()
        return self.filter(due_date__lt=today, status__in=[Status.NEW, Status.ASSIGNED])

    def published(self):
        """What the public list shows: answered, the asker agreed, staff published, not merged
        (the same rule as ``Question.is_shown`` for one loaded question)."""
        return self.filter(
            published=True,
            publish_allowed=True,
            duplicate_of__isnull=True,
            status__in=SHOWN_STATUSES,
        ).exclude(answer="")


class Question(models.Model):
    """A question or a piece of feedback from a citizen, tracked by its code until answered."""

    code = models.CharField(_("tracking code"), max_length=40, unique=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.QUESTION)
    area = models.ForeignKey(
        "eservices.ProcedureArea",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("subject area"),
    )
    # The unit concerned (its commune's staff handle it); empty: the district (province) itself.
    unit = optional_unit(_("unit concerned"))
    site = models.ForeignKey(
        "wagtailcore.Site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent on site"),
    )
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"))
    asker_name = models.CharField(_("full name"), max_length=120)
    asker_phone = models.CharField(_("phone"), max_length=20)
    asker_email = models.EmailField(_("e-mail"), blank=True)
    # Told of the answer by SMS too ("sms"), or by e-mail only ("").
    notify_channel = models.CharField(_("notified by"), max_length=10, blank=True)
    publish_allowed = models.BooleanField(_("the asker agrees to publication"), default=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True)
    consent_text = models.TextField(_("consent"), blank=True)
    submission_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("officer in charge"),
    )
    submitted_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    due_date = models.DateField(_("due date"), null=True, db_index=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.CharField(_("answered by"), max_length=200, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    # What the public list shows (moderated: the question may be edited for privacy).
    published = models.BooleanField(_("published"), default=False, db_index=True)
    public_title = models.CharField(_("published title"), max_length=200, blank=True)
    public_content = models.TextField(_("published question"), blank=True)
    public_text_folded = models.TextField(blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("question or feedback")
        verbose_name_plural = _("questions and feedback")
        permissions = [
            ("handle_question", _("Can handle questions and feedback")),
            ("moderate_question", _("Can publish and moderate answered questions")),
        ]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        self.public_text_folded = fold(
            " ".join([self.public_title, self.public_content, self.answer])
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "public_text_folded"}
        super().save(*args, **kwargs)

    @property
    def is_publishable(self) -> bool:
        """Whether staff may publish it: answered, and the asker agreed."""
        return bool(self.publish_allowed and self.answer)

    @property
    def is_shown(self) -> bool:
        """Whether the public list shows it (``Question.objects.published()`` for one)."""
        return bool(
            self.published
            and self.is_publishable
            and self.duplicate_of_id is None
            and self.status in SHOWN_STATUSES
        )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return (
            self.due_date is not None
            and self.due_date < timezone.localdate()
            and self.status in (Status.NEW, Status.ASSIGNED)
        )

    @property
    def shown_title(self) -> str:
        return self.public_title or self.title

    @property
    def shown_content(self) -> str:
        return self.public_content or self.content


class QuestionFile(models.Model):
    """A photo or document attached by the asker (checked by content, kept private)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(
        storage=get_private_storage, upload_to="questions/%Y/%m/", max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")

    def __str__(self):
        return self.original_name


class Event(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    INFO_REQUESTED = "info_requested", _("More information requested")
    INFO_GIVEN = "info_given", _("More information given")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    PUBLISHED = "published", _("Published on the list")
    UNPUBLISHED = "unpublished", _("Hidden from the public list")
    MERGED = "merged", _("Merged into another question")


# What the asker sees of each step on the look-up page (internal notes stay internal).
PUBLIC_EVENTS = {Event.RECEIVED, Event.ASSIGNED, Event.INFO_REQUESTED, Event.INFO_GIVEN,
                 Event.ANSWERED, Event.CLOSED, Event.MERGED}  # fmt: skip


class QuestionEvent(models.Model):
    """One timed step of the handling: who did what, when, with the note to the asker."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="events")
    event = models.CharField(_("step"), max_length=20, choices=Event.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("handling step")

    def __str__(self):
        return f"{self.question_id} {self.event}"
