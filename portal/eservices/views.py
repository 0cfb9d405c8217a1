"""Public views: filing wizards, confirmation and receipt, resume, status lookup, supplements,
the health declaration and its personal QR code."""

import hashlib

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from portal.checkpoints import remember
from portal.core.masking import mask
from portal.core.models import AdministrativeUnit, PortalSettings
from portal.core.ratelimit import limit, over_limit
from portal.core.sites import absolute_url, default_site, site_for_request, site_hotline
from portal.core.storage import detected_content_type

from . import health_form
from .catalogue import receiving, service_for_site
from .filing import (
    apply_supplement,
    open_supplement_request,
    submit_dossier,
    supplement_step,
)
from .forms import StepForm, parse_date
from .health import card_png, declaration_from_token, personal_qr_token, qr_png, valid_until
from .models import (
    Dossier,
    DossierFile,
    Draft,
    HealthDeclaration,
    ServicePage,
)
from .models.declarations import CHRONIC_CONDITIONS, EXPOSURES, SYMPTOMS
from .receipt import render_receipt
from .validation import clean_phone
from .wizard import (
    ReviewForm,
    SchemaWizard,
    client_session_key,
    draft_from_token,
    resume_token,
    session_key,
)

SESSION_DOSSIERS = "eservices_dossiers"


# --- helpers ----------------------------------------------------------------------------------
def _allow(request, code):
    codes = request.session.get(SESSION_DOSSIERS, [])
    if code not in codes:
        request.session[SESSION_DOSSIERS] = [*codes[-19:], code]


def _allowed_dossier(request, code):
    if code not in request.session.get(SESSION_DOSSIERS, []):
        raise Http404
    return get_object_or_404(Dossier.objects.select_related("form_version"), code=code)


def _receiving_site(dossier):
    """The site whose procedure page the dossier was filed on (the parent site if it is gone)."""
    if dossier.site_id:
        return dossier.site
    site = dossier.service.get_site() if dossier.service_id else None
    return site or default_site()


def receipt_pdf(dossier) -> bytes:
    site = _receiving_site(dossier)
    organisation = PortalSettings.for_site(site).organisation_name if site else "Ủy ban nhân dân"
    lookup = absolute_url(site, reverse("eservices:lookup")) + f"?ma={dossier.code}"
    return render_receipt(dossier, organisation, lookup)


def _no_store(response):
    response["Cache-Control"] = "no-store, private"
    return response


# --- filing wizards ---------------------------------------------------------------------------
class ServiceWizard(SchemaWizard):
    consent_label = ""

    def load(self, request, **kwargs):
        # The procedure as this site offers it: a commune's site files it to that commune.
        self.site = site_for_request(request)
        self.page = service_for_site(self.site, kwargs["slug"])
        if self.page is None or not self.page.accepts_online_filing:
            raise Http404
        self.schema = self.page.form_schema()
        self.form_key = f"svc{self.page.pk}"
        self.title = self.page.title
        return None

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        context["service"] = self.page
        if self.steps.current == "kiem-tra":
            from .workdays import add_working_days

            context["expected_due"] = add_working_days(
                timezone.localdate(), self.page.processing_days
            )
        return context

    def notify_channels(self):
        from .filing import applicant_channels

        answers = self.raw_answers()
        by_role = {}
        for step in self.schema["steps"]:
            for spec in step["fields"]:
                if spec.get("role") and answers.get(spec["key"]):
                    by_role.setdefault(spec["role"], answers[spec["key"]])
        return applicant_channels(by_role.get("phone", ""), by_role.get("email", ""))

    def file(self, answers, uploads, submission_key):
        consent = str(ReviewForm().fields["consent"].label)
        unit, agency = receiving(self.site, self.page)
        dossier, _created = submit_dossier(
            self.page,
            self.schema,
            answers,
            uploads,
            submission_key,
            consent,
            site=self.site,
            unit=unit,
            agency=agency,
            notify_channel=getattr(self, "notify_by", ""),
        )
        Draft.objects.filter(pk=submission_key).update(dossier=dossier)
        _allow(self.request, dossier.code)
        self.request.session[f"eservices_last_{self.form_key}"] = dossier.code
        return redirect(self.after_filing_url(dossier.code))

    def after_filing_url(self, reference):
        return reverse("eservices:dossier", kwargs={"code": reference})


class HealthWizard(SchemaWizard):
    consent_label = health_form.COMMITMENT

    def load(self, request, **kwargs):
        self.schema = health_form.HEALTH_SCHEMA
        self.form_key = "health"
        self.title = _("Health declaration")
        if request.method == "GET" and not kwargs.get("step") and "moi" not in request.GET:
            # Declared on this phone and asked to be remembered: offer that code first.
            token = _remembered_token(request)
            declaration = declaration_from_token(token) if token else None
            if declaration is not None:
                context = _health_context(request, declaration, token)
                return _no_store(render(request, "eservices/health_remembered.html", context))
        return None

    def file(self, answers, uploads, submission_key):
        address = answers.get("address") or {}
        units = {
            u.code: u
            for u in AdministrativeUnit.objects.filter(
                code__in=[
                    address.get(p) for p in ("province", "district", "commune") if address.get(p)
                ]
            )
        }
        sex = {"Nam": "male", "Nữ": "female"}.get(answers.get("sex"), "other")
        declaration = HealthDeclaration.objects.create(
            full_name=answers["full_name"],
            id_number=answers.get("id_number") or "",
            date_of_birth=parse_date(answers["date_of_birth"]),
            sex=sex,
            nationality=answers.get("nationality") or "Việt Nam",
            phone=answers["phone"],
            email=answers.get("email") or "",
            province=units.get(address.get("province")),
            district=units.get(address.get("district")),
            commune=units.get(address.get("commune")),
            address=address.get("text", "")[:250],
            travelled=answers.get("travelled") == "yes",
            travel_details=answers.get("travel_details") or "",
            symptoms=health_form.answered_codes(answers, "has_symptoms", "symptoms", SYMPTOMS),
            exposures=health_form.answered_codes(answers, "had_exposure", "exposures", EXPOSURES),
            chronic_conditions=health_form.answered_codes(
                answers, "has_chronic", "chronic", CHRONIC_CONDITIONS
            ),
            commitment=True,
        )
        token = personal_qr_token(declaration)
        self.request.session["eservices_health_token"] = token
        self.request.session["eservices_last_health"] = token
        return redirect(self.after_filing_url(token))

    def after_filing_url(self, reference):
        return reverse("eservices:health_qr")


def _step_limits(view):
    """Step posts are limited per client address (high: a crowd may share one) and per person."""
    return limit("form_step")(limit("form_step_session", key=client_session_key)(view))


service_wizard = _step_limits(ServiceWizard.as_view(url_name="eservices:apply_step"))
health_wizard = _step_limits(HealthWizard.as_view(url_name="eservices:health_step"))


@never_cache
def dossier_done(request, code):
    dossier = _allowed_dossier(request, code)
    return _no_store(render(request, "eservices/dossier_done.html", {"dossier": dossier}))


@never_cache
def dossier_receipt(request, code):
    dossier = _allowed_dossier(request, code)
    response = HttpResponse(receipt_pdf(dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-tiep-nhan-{dossier.code}.pdf"'
    return _no_store(response)


@never_cache
def dossier_result_file(request, code, pk):
    """A result file, to the applicant who proved who they are in this session."""
    dossier = _allowed_dossier(request, code)
    item = get_object_or_404(DossierFile, pk=pk, dossier=dossier, kind=DossierFile.Kind.RESULT)
    with item.file.open("rb") as fh:
        # The type found in the stored bytes, not a type declared when it was uploaded.
        response = HttpResponse(fh.read(), content_type=detected_content_type(fh))
    response["Content-Disposition"] = f'attachment; filename="{item.original_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return _no_store(response)


# --- save and resume --------------------------------------------------------------------------
def _wizard_url_for(form_key):
    if form_key == "health":
        return reverse("eservices:health_start")
    if form_key.startswith("svc") and form_key[3:].isdigit():
        page = ServicePage.objects.live().filter(pk=int(form_key[3:])).first()
        if page:
            return reverse("eservices:apply_start", kwargs={"slug": page.slug})
    return None


class ResumeEmailForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        error_messages={
            "required": gettext_lazy("Enter E-mail address."),
            "invalid": gettext_lazy(
                "E-mail address must be an e-mail address, like ten@example.com."
            ),
        },
    )


@never_cache
@limit("form")
def draft_saved(request, form_key):
    draft_id = request.session.get(session_key(form_key))
    draft = Draft.objects.filter(pk=draft_id, dossier__isnull=True).first() if draft_id else None
    continue_url = _wizard_url_for(form_key)
    if draft is None or continue_url is None:
        messages.warning(request, _("There is no form in progress to save."))
        return redirect(continue_url or "/")
    link = request.build_absolute_uri(
        reverse("eservices:resume", kwargs={"token": resume_token(draft)})
    )
    form = ResumeEmailForm(request.POST or None)
    sent = held_back = False
    if request.method == "POST" and form.is_valid():
        from portal.notifications.outbox import InvalidRecipient, notify

        address = form.cleaned_data["email"].strip()
        draft.email = address
        draft.save(update_fields=["email", "updated_at"])
        # The link goes to whatever address is typed: a few per session, one per address at a
        # time, so the form cannot be used to send mail to a stranger again and again.
        held_back = over_limit(
            request, "resume_email_session", key=client_session_key
        ) or over_limit(request, "resume_email", key=lambda _g, _r: "e:" + address.lower())
        if not held_back:
            # Keyed by the draft, the address and the ten minutes: a repeated request (a double
            # click, a retried post) sends the link once; asking again later sends it again.
            digest = hashlib.sha256(address.lower().encode()).hexdigest()[:16]
            window = int(timezone.now().timestamp() // 600)
            try:
                with transaction.atomic():
                    notify(
                        "email",
                        address,
                        _("Use this link to continue your form within %(days)s days:\n%(link)s")
                        % {"days": settings.ESERVICES_DRAFT_TTL_DAYS, "link": link},
                        subject=_("Link to continue your form"),
                        site=site_for_request(request),
                        key=f"draft-link:{draft.pk}:{digest}:{window}",
                    )
                sent = True
            except InvalidRecipient as error:
                form.add_error("email", str(error))
    context = {
        "link": link,
        "form": form,
        "sent": sent,
        "held_back": held_back,
        "continue_url": continue_url,
        "days": settings.ESERVICES_DRAFT_TTL_DAYS,
    }
    return _no_store(render(request, "eservices/draft_saved.html", context))


@never_cache
def resume(request, token):
    draft = draft_from_token(token, settings.ESERVICES_DRAFT_TTL_DAYS)
    url = _wizard_url_for(draft.form_key) if draft else None
    if url is None:
        return render(request, "eservices/link_invalid.html", status=400)
    request.session[session_key(draft.form_key)] = str(draft.pk)
    return redirect(url)


# --- status lookup ----------------------------------------------------------------------------
class LookupForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Dossier code"),
        max_length=40,
        help_text=gettext_lazy("As printed on the receipt, e.g. VL-211005-0001."),
        error_messages={"required": gettext_lazy("Enter Dossier code.")},
    )
    identity = forms.CharField(
        label=gettext_lazy("ID number or phone number of the applicant"),
        max_length=20,
        error_messages={
            "required": gettext_lazy("Enter ID number or phone number of the applicant.")
        },
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def clean_identity(self):
        return "".join(ch for ch in self.cleaned_data["identity"] if ch.isdigit() or ch == "+")


def _matches_identity(dossier, identity):
    if not identity:
        return False
    if dossier.applicant_id_number and identity == dossier.applicant_id_number:
        return True
    try:
        return (
            bool(dossier.applicant_phone) and clean_phone(identity, "") == dossier.applicant_phone
        )
    except forms.ValidationError:
        return False


@never_cache
@limit("lookup")
def lookup(request):
    form = LookupForm(request.POST or None, initial={"code": request.GET.get("ma", "")[:40]})
    dossier = None
    if request.method == "POST" and form.is_valid():
        candidate = Dossier.objects.filter(
            code=form.cleaned_data["code"], anonymised_at__isnull=True
        ).first()
        if candidate and _matches_identity(candidate, form.cleaned_data["identity"]):
            dossier = candidate
            _allow(request, dossier.code)
        else:
            form.add_error(
                None,
                _("No dossier matches this code and ID or phone number. Check both and try again."),
            )
    elif request.method == "GET" and request.GET.get("ma") in request.session.get(
        SESSION_DOSSIERS, []
    ):
        dossier = Dossier.objects.filter(code=request.GET["ma"]).first()
    context = {"form": form, "dossier": dossier}
    if dossier:
        context["events"] = dossier.events.all()
        context["results"] = dossier.files.filter(kind=DossierFile.Kind.RESULT)
        context["supplement"] = dossier.open_supplement()
    return _no_store(render(request, "eservices/lookup.html", context))


# --- supplements ------------------------------------------------------------------------------
@never_cache
@limit("form")
def supplement(request, token):
    request_obj = open_supplement_request(token)
    if request_obj is None:
        return render(request, "eservices/link_invalid.html", status=400)
    dossier = request_obj.dossier
    step, earlier, all_specs = supplement_step(request_obj)
    form = StepForm(
        request.POST or None,
        request.FILES or None,
        step=step,
        earlier=earlier,
        context_specs=all_specs,
        prefix="bo-sung",
    )
    if request.method == "POST" and "_refresh" not in request.POST and form.is_valid():
        apply_supplement(request_obj, form.answers(), form.specs)
        _allow(request, dossier.code)
        messages.success(request, _("Thank you. Your supplement was sent to the office."))
        return redirect(reverse("eservices:lookup") + f"?ma={dossier.code}")
    show_errors = request.method == "POST" and "_refresh" not in request.POST
    context = {
        "form": form,
        "dossier": dossier,
        "request_obj": request_obj,
        "show_errors": show_errors and bool(form.errors),
        "error_links": form.error_links() if show_errors else [],
    }
    return _no_store(render(request, "eservices/supplement.html", context))


# --- health declaration: personal QR ---------------------------------------------------------
HEALTH_COOKIE = "eservices_yt"
HEALTH_COOKIE_SALT = "portal.eservices.health-remember"


def _remembered_token(request):
    """The personal QR token kept on this phone (only if the person asked), or None."""
    try:
        return request.get_signed_cookie(HEALTH_COOKIE, salt=HEALTH_COOKIE_SALT, default=None)
    except signing.BadSignature:
        return None


def _my_declaration(request):
    """``(declaration, token)`` of this session's declaration, else of the one kept on the phone."""
    for token in (request.session.get("eservices_health_token"), _remembered_token(request)):
        declaration = declaration_from_token(token) if token else None
        if declaration is not None:
            return declaration, token
    return None, None


def _health_context(request, declaration, token):
    return {
        "declaration": declaration,
        "token": token,
        "valid_until": valid_until(declaration),
        "masked_phone": mask(declaration.phone),
        "remembered": _remembered_token(request) == token,
        "hotline": site_hotline(request),
        "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS,
    }


@never_cache
def health_qr(request):
    declaration, token = _my_declaration(request)
    if declaration is None:
        return redirect(reverse("eservices:health_start") + "?moi=1")
    context = _health_context(request, declaration, token)
    return _no_store(render(request, "eservices/health_qr.html", context))


@never_cache
@limit("form")
def health_remember(request):
    """Keep the personal QR on this phone (and the name and phone for check-in), if ticked."""
    if request.method != "POST":
        return redirect("eservices:health_qr")
    declaration, token = _my_declaration(request)
    if declaration is None:
        return redirect(reverse("eservices:health_start") + "?moi=1")
    if request.POST.get("ghi-nho") != "1":
        messages.warning(request, "Hãy đánh dấu “Ghi nhớ trên điện thoại này” nếu muốn lưu mã.")
        return redirect("eservices:health_qr")
    response = redirect("eservices:health_qr")
    seconds = max(int((valid_until(declaration) - timezone.now()).total_seconds()), 60)
    response.set_signed_cookie(
        HEALTH_COOKIE, token, salt=HEALTH_COOKIE_SALT, **remember.cookie_kwargs(request, seconds)
    )
    remember.remember(response, request, declaration.full_name, declaration.phone)
    messages.success(request, "Đã ghi nhớ mã QR trên điện thoại này.")
    return response


@never_cache
def health_forget(request):
    """Forget this phone: the kept QR, name and phone are removed from it (the session too)."""
    if request.method != "POST":
        return redirect("eservices:health_qr")
    request.session.pop("eservices_health_token", None)
    response = redirect(reverse("eservices:health_start") + "?moi=1")
    response.delete_cookie(HEALTH_COOKIE)
    remember.forget(response)
    messages.success(request, "Điện thoại này không còn lưu mã QR và thông tin của bạn.")
    return response


@never_cache
def health_card(request):
    """The card to print: name, date declared, validity and the QR code."""
    declaration, token = _my_declaration(request)
    if declaration is None:
        return redirect(reverse("eservices:health_start") + "?moi=1")
    context = _health_context(request, declaration, token)
    return _no_store(render(request, "eservices/health_card.html", context))


@never_cache
def health_card_png(request, token):
    declaration = declaration_from_token(token)
    if declaration is None:
        raise Http404
    png = card_png(declaration, token, "Mã QR khai báo y tế")
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = 'attachment; filename="the-khai-bao-y-te.png"'
    return _no_store(response)


@never_cache
def health_qr_png(request, token):
    if declaration_from_token(token) is None:
        raise Http404
    response = HttpResponse(qr_png(token), content_type="image/png")
    if request.GET.get("tai-ve"):
        response["Content-Disposition"] = 'attachment; filename="ma-qr-khai-bao-y-te.png"'
    return _no_store(response)
