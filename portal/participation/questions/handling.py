"""What happens to a question: receiving it (code, due date, files, receipt e-mail), each handling
step (timed, noted, told to the asker), publishing and merging, and removing the asker's data."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core import personal_numbers
from portal.core.storage import detected_content_type
from portal.eservices.models import DossierCounter
from portal.eservices.workdays import add_working_days
from portal.notifications.models import Notification
from portal.notifications.outbox import notify_email, notify_phone

from .models import Event, Question, QuestionEvent, QuestionFile, Status

# Codes: HD-<yyMMdd>-<NNNN>, numbered per day for the whole installation (one counter, atomic).
CODE_PREFIX = "HD"


def question_code(day) -> str:
    return f"{CODE_PREFIX}-{day:%y%m%d}-{DossierCounter.next_value(CODE_PREFIX, day):04d}"


def submit_question(data, uploads, submission_key, consent_text, site=None):
    """Create the question once per submission key; returns (question, created)."""
    existing = Question.objects.filter(submission_key=submission_key).first()
    if existing:
        return existing, False
    now = timezone.now()
    today = timezone.localdate(now)
    try:
        with transaction.atomic():
            question = Question.objects.create(
                code=f"~{submission_key}",
                kind=data["kind"],
                area=data.get("area"),
                unit=data.get("unit"),
                site=site,
                title=data["title"],
                content=data["content"],
                asker_name=data["name"],
                asker_phone=data["phone"],
                asker_email=data.get("email", ""),
                publish_allowed=data.get("publish_allowed", False),
                notify_channel="sms" if data.get("notify_by") == "sms" else "",
                consent_at=now,
                consent_text=consent_text,
                submission_key=submission_key,
                submitted_at=now,
                due_date=add_working_days(today, settings.QUESTIONS_ANSWER_DAYS),
            )
            for upload in uploads:
                item = QuestionFile(
                    question=question,
                    original_name=upload.safe_name,
                    content_type=detected_content_type(upload),
                    size=upload.size or 0,
                )
                upload.seek(0)
                item.file.save(upload.safe_name, upload, save=False)
                item.save()
            add_event(question, Event.RECEIVED, actor_name=question.asker_name)
            # The number last, as for dossiers: the counter row is locked only until the commit.
            question.code = question_code(today)
            Question.objects.filter(pk=question.pk).update(code=question.code)
            notify_asker(question, "questions/email/received.txt")
    except IntegrityError:
        existing = Question.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return existing, False
    return question, True


def matches_phone(question, phone: str) -> bool:
    """The look-up's second key: the phone given when sending, however it is typed now."""
    number = personal_numbers.normalise_phone(phone)
    return bool(number) and number == question.asker_phone


def add_event(question, event, note="", actor=None, actor_name=""):
    if actor is not None and not actor_name:
        actor_name = actor.get_full_name() or actor.get_username()
    return QuestionEvent.objects.create(
        question=question,
        event=event,
        status=question.status,
        note=note,
        actor=actor,
        actor_name=actor_name,
    )


def notify_asker(question, template, **context):
    """Tell the asker of the question's latest step, through portal.notifications: an e-mail when
    they gave an address, and an SMS when they chose it. Queued in the same transaction and sent
    after the commit; keyed by the step (``question:<pk>:<event>:<channel>``) so that nothing is
    sent twice. Returns the e-mail's notification, or None."""
    context = {"question": question, "site_name": settings.WAGTAIL_SITE_NAME, **context}
    event = question.events.order_by("-pk").values_list("pk", flat=True).first()
    key = f"question:{question.pk}:{event}"
    if question.notify_channel == "sms":
        name = template.rsplit("/", 1)[-1]
        notify_phone(
            "sms",
            question.asker_phone,
            render_to_string(f"questions/sms/{name}", context).strip(),
            key=key,
            site=question.site,
            about=question,
        )
    return notify_email(
        question.asker_email, template, context, key=key, site=question.site, about=question
    )


def notifications_of(question):
    """The messages sent to the asker about this question, oldest first."""
    return Notification.objects.filter(
        about_type=ContentType.objects.get_for_model(Question), about_id=str(question.pk)
    ).order_by("created_at", "pk")


# --- staff steps -------------------------------------------------------------------------------
ASSIGN, REQUEST_INFO, ANSWER, CLOSE = "assign", "request_info", "answer", "close"

# Which steps each status allows.
ACTIONS = {
    Status.NEW: [ASSIGN, ANSWER, REQUEST_INFO, CLOSE],
    Status.ASSIGNED: [ASSIGN, ANSWER, REQUEST_INFO, CLOSE],
    Status.WAITING: [ASSIGN, ANSWER, CLOSE],
    Status.ANSWERED: [ANSWER, CLOSE],
    Status.CLOSED: [],
}


def allowed_actions(question):
    if question.duplicate_of_id:
        return []
    return ACTIONS[Status(question.status)]


@transaction.atomic
def apply_action(question, action, data, user):
    """One staff step; returns the event. ``data`` is the action form's cleaned data."""
    if action not in allowed_actions(question):
        raise ValueError(action)
    now = timezone.now()
    note = data.get("note", "")
    if action == ASSIGN:
        question.status = Status.ASSIGNED
        question.assignee = data.get("assignee") or user
        if "unit" in data:
            question.unit = data["unit"]
        if data.get("due_days"):
            question.due_date = add_working_days(timezone.localdate(now), data["due_days"])
        question.save()
        event = add_event(question, Event.ASSIGNED, note, user)
    elif action == REQUEST_INFO:
        question.status = Status.WAITING
        question.save(update_fields=["status"])
        event = add_event(question, Event.INFO_REQUESTED, note, user)
        notify_asker(question, "questions/email/info_requested.txt", note=note)
    elif action == ANSWER:
        question.status = Status.ANSWERED
        question.answer = data["answer"]
        question.answered_by = data.get("answered_by") or (
            user.get_full_name() or user.get_username()
        )
        question.answered_at = now
        if question.assignee_id is None:
            question.assignee = user
        question.save()
        event = add_event(question, Event.ANSWERED, "", user)
        notify_asker(question, "questions/email/answered.txt")
    else:
        question.status = Status.CLOSED
        question.closed_at = now
        question.save(update_fields=["status", "closed_at"])
        event = add_event(question, Event.CLOSED, note, user)
        notify_asker(question, "questions/email/closed.txt", note=note)
    return event


@transaction.atomic
def give_information(question, text):
    """The asker's answer to a request for more information: back to the officer."""
    if question.status != Status.WAITING:
        raise ValueError(question.status)
    question.status = Status.ASSIGNED if question.assignee_id else Status.NEW
    question.content = f"{question.content}\n\n{_('More information:')}\n{text}"
    question.save(update_fields=["status", "content"])
    return add_event(question, Event.INFO_GIVEN, text, actor_name=question.asker_name)


@transaction.atomic
def set_published(question, published, user, title="", content=""):
    """Publish (with the question's text as edited for privacy) or hide an answered question."""
    if published and not question.is_publishable:
        raise ValueError("not publishable")
    question.public_title = title or question.public_title or question.title
    question.public_content = content or question.public_content or question.content
    changed = question.published != published
    question.published = published
    if published and question.published_at is None:
        question.published_at = timezone.now()
    question.save()
    if changed:
        add_event(question, Event.PUBLISHED if published else Event.UNPUBLISHED, "", user)


@transaction.atomic
def merge_into(question, original, user):
    """A duplicate: closed, hidden, its asker pointed to the original's answer."""
    if original.pk == question.pk or original.duplicate_of_id:
        raise ValueError("cannot merge")
    question.duplicate_of = original
    question.published = False
    if question.is_open:
        question.status = Status.CLOSED
        question.closed_at = timezone.now()
    question.save()
    add_event(question, Event.MERGED, original.code, user)
    notify_asker(question, "questions/email/merged.txt", original=original)


# --- retention ---------------------------------------------------------------------------------
def anonymise_question(question, now=None) -> None:
    """Remove the asker's data (contact, files, history notes, the messages sent to them about
    it, queued ones included); the published text stays."""
    now = now or timezone.now()
    with transaction.atomic():
        for item in QuestionFile.objects.filter(question=question):
            item.file.delete(save=False)
            item.delete()
        notifications_of(question).delete()
        question.asker_name = "Đã ẩn danh"
        question.asker_phone = question.asker_email = ""
        question.content = question.public_content if question.published else ""
        question.anonymised_at = now
        question.save()
        question.events.update(note="", actor_name="")


def anonymise_closed_questions(now=None) -> int:
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.QUESTIONS_RETENTION_DAYS)
    old = Question.objects.filter(anonymised_at__isnull=True).filter(
        Q(status=Status.CLOSED, closed_at__lt=cutoff)
        | Q(status=Status.ANSWERED, answered_at__lt=cutoff)
    )
    count = 0
    for question in old:
        anonymise_question(question, now)
        count += 1
    return count
