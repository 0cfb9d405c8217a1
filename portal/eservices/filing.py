"""Filing a dossier: code, due date, frozen answers and files, history, confirmation e-mail
(through portal.notifications, the receipt attached); and a supplement the office asked for (the
fields asked, the answers and files replaced)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.models import AdministrativeUnit
from portal.core.storage import detected_content_type

from .models import (
    Dossier,
    DossierCounter,
    DossierEvent,
    DossierFile,
    Status,
    SupplementRequest,
)
from .schema import all_fields, freeze
from .workdays import add_working_days


def dossier_code(agency: str, day) -> str:
    """``<agency>-<yyMMdd>-<NNNN>``, the counter per agency per day (atomic)."""
    return f"{agency}-{day:%y%m%d}-{DossierCounter.next_value(agency, day):04d}"


def _applicant(schema, answers):
    details = {}
    for spec in all_fields(schema):
        role, value = spec.get("role"), answers.get(spec["key"])
        if role and value and role not in details:
            details[role] = value
    address = details.get("address") or {}
    commune = None
    if isinstance(address, dict) and address.get("commune"):
        commune = AdministrativeUnit.objects.filter(code=address["commune"]).first()
    return {
        "applicant_name": str(details.get("name", ""))[:200] or _("(not given)"),
        "applicant_organisation": str(details.get("organisation", ""))[:250],
        "applicant_id_number": str(details.get("id_number", ""))[:20],
        "applicant_phone": str(details.get("phone", ""))[:20],
        "applicant_email": str(details.get("email", ""))[:254],
        "applicant_address": (
            address.get("text", "") if isinstance(address, dict) else str(address)
        )[:400],
        "commune": commune,
    }


def submit_dossier(
    service, schema, answers, uploads, submission_key, consent_text,
    site=None, unit=None, agency="", notify_channel="",
):  # fmt: skip
    """Create the dossier once per submission key; returns (dossier, created).

    Filed on a unit's site, ``unit`` receives it (the dossier's commune, which one-stop officers
    are scoped by) and ``agency`` is the code it is numbered under; otherwise the procedure's
    agency code and the applicant's commune."""
    existing = Dossier.objects.filter(submission_key=submission_key).first()
    if existing:
        return existing, False
    now = timezone.now()
    today = timezone.localdate(now)
    try:
        with transaction.atomic():
            version = freeze(schema, f"service:{service.pk}", service)
            agency = agency or service.dossier_agency_code
            applicant = _applicant(schema, answers)
            if unit is not None and unit.level == AdministrativeUnit.Level.COMMUNE:
                applicant["commune"] = unit
            dossier = Dossier.objects.create(
                # A stand-in no other transaction sees: the number is taken last (below).
                code=f"~{submission_key}",
                service=service,
                service_title=service.title,
                form_version=version,
                agency_code=agency,
                answers=answers,
                submitted_at=now,
                due_date=add_working_days(today, service.processing_days),
                consent_at=now,
                consent_text=consent_text,
                submission_key=submission_key,
                site=site,
                notify_channel=notify_channel,
                **applicant,
            )
            for field_key, upload in uploads:
                item = DossierFile(
                    dossier=dossier,
                    field_key=field_key,
                    original_name=upload.safe_name,
                    content_type=detected_content_type(upload),
                    size=upload.size or 0,
                )
                upload.seek(0)
                item.file.save(upload.safe_name, upload, save=False)
                item.save()
            DossierEvent.objects.create(
                dossier=dossier,
                status=Status.NEW,
                note=_("Filed online."),
                actor_name=dossier.applicant_name,
            )
            # The number last: the counter row stays locked until the commit, so the slow part
            # (files, rows) is done before it, and filings of the same agency and day wait for
            # each other only for these few statements. Taken in the same transaction, a filing
            # that fails gives its number back: codes stay gap-free.
            dossier.code = dossier_code(agency, today)
            Dossier.objects.filter(pk=dossier.pk).update(code=dossier.code)
            notify_applicant(dossier, "eservices/email/dossier_received.txt", attach_receipt=True)
    except IntegrityError:
        # The same submission arrived twice at once (double click): the first one won.
        existing = Dossier.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return existing, False
    return dossier, True


def applicant_channels(phone, email) -> list[tuple[str, str]]:
    """How an applicant with this phone and e-mail may hear of their dossier: e-mail when they
    gave one, SMS and Zalo (a ZNS template message to the phone) when the installation sends
    them and they gave a phone. The first is the default."""
    from portal.core.personal_numbers import normalise_phone
    from portal.notifications.conf import open_channels

    open_ = dict(open_channels(zalo_by_phone=bool(settings.ESERVICES_ZNS_TEMPLATE)))
    channels = []
    if email and "email" in open_:
        channels.append(("email", _("E-mail")))
    if normalise_phone(phone or ""):
        if "sms" in open_:
            channels.append(("sms", _("SMS to my phone")))
        if "zalo" in open_:
            channels.append(("zalo", _("Zalo (to my phone number)")))
    return channels


def notify_applicant(dossier, template, attach_receipt=False, **context):
    """Tell the applicant of the dossier's latest event, through portal.notifications: an e-mail
    when they gave an address (with the receipt, drawn again when it is sent), and a short
    message on the channel they chose when filing (SMS or Zalo). Queued in the caller's
    transaction and sent after the commit; keyed by the event (``dossier:<pk>:<event>:<channel>``)
    so that nothing is sent twice. Returns the e-mail's notification, or None."""
    from portal.notifications.outbox import notify_email, notify_phone

    context = {"dossier": dossier, "site_name": settings.WAGTAIL_SITE_NAME, **context}
    event = dossier.events.order_by("-pk").values_list("pk", flat=True).first()
    key = f"dossier:{dossier.pk}:{event}"
    if dossier.notify_channel in ("sms", "zalo"):
        name = template.rsplit("/", 1)[-1]
        notify_phone(
            dossier.notify_channel,
            dossier.applicant_phone,
            render_to_string(f"eservices/sms/{name}", context).strip(),
            key=key,
            site=dossier.site,
            about=dossier,
            zns_template=settings.ESERVICES_ZNS_TEMPLATE,
            zns_data={"code": dossier.code, "status": dossier.get_status_display()},
        )
    return notify_email(
        dossier.applicant_email,
        template,
        context,
        key=key,
        site=dossier.site,
        about=dossier,
        attachments=["receipt"] if attach_receipt else None,
    )


# --- supplements ------------------------------------------------------------------------------
def open_supplement_request(token):
    """The unfulfilled supplement request a link names, while its dossier awaits it, or None."""
    try:
        request_obj = (
            SupplementRequest.objects.select_related("dossier__form_version")
            .filter(token=token, fulfilled_at__isnull=True)
            .first()
        )
    except (ValueError, ValidationError):  # a malformed UUID
        return None
    if request_obj is None or request_obj.dossier.status != Status.SUPPLEMENT:
        return None
    return request_obj


def supplement_step(request_obj):
    """``(step, earlier, all_specs)``: the fields asked again, as one unconditional step, with
    the dossier's other answers and every field of its frozen schema (for conditions)."""
    dossier = request_obj.dossier
    all_specs = [f for s in dossier.schema["steps"] for f in s["fields"]]
    step = {
        "key": "bo-sung",
        "title": _("Supplement"),
        "intro": "",
        "condition": None,
        "fields": [{**f, "condition": None} for f in all_specs if f["key"] in request_obj.fields],
    }
    earlier = {k: v for k, v in dossier.answers.items() if k not in request_obj.fields}
    return step, earlier, all_specs


def apply_supplement(request_obj, new_answers, specs):
    """Replace the answers and files asked for, send the dossier back to processing, record it in
    its history and tell the applicant; all in one transaction."""
    dossier = request_obj.dossier
    with transaction.atomic():
        answers = dict(dossier.answers)
        for key, value in new_answers.items():
            if specs[key]["type"] == "file":
                dossier.files.filter(field_key=key, kind=DossierFile.Kind.ATTACHMENT).update(
                    replaced=True
                )
                for upload in value:
                    item = DossierFile(
                        dossier=dossier,
                        field_key=key,
                        original_name=upload.safe_name,
                        content_type=detected_content_type(upload),
                        size=upload.size,
                    )
                    upload.seek(0)
                    item.file.save(upload.safe_name, upload, save=False)
                    item.save()
                value = [{"name": u.safe_name, "size": u.size} for u in value]
            answers[key] = value
        dossier.answers = answers
        previous = dossier.status
        dossier.status = Status.PROCESSING
        dossier.save(update_fields=["answers", "status"])
        request_obj.fulfilled_at = timezone.now()
        request_obj.save(update_fields=["fulfilled_at"])
        DossierEvent.objects.create(
            dossier=dossier,
            status=Status.PROCESSING,
            previous_status=previous,
            note=_("The applicant sent the requested supplement."),
            actor_name=dossier.applicant_name,
        )
        notify_applicant(dossier, "eservices/email/supplement_received.txt")
    return dossier
