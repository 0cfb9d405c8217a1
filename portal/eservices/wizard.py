"""The wizard engine on django-formtools: one step per page, drafts in the database, resumable.

``DraftStorage`` keeps the wizard's state in a ``Draft`` row (the session holds only its id), so a
signed link can resume it on another device, and uploaded files live in private storage under the
draft's folder until the dossier is filed or the draft expires.
"""

import copy
import json
import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Sum
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import NamedUrlWizardView, WizardView

from portal.core.net import client_ip
from portal.core.ratelimit import over_limit
from portal.core.storage import detected_content_type, private_storage

from .blocks import DONE_STEP, REVIEW_STEP
from .forms import StepForm
from .models import Draft
from .schema import answer_rows, condition_met

REVIEW, DONE = REVIEW_STEP, DONE_STEP
RESUME_SALT = "portal.eservices.resume"


def session_key(prefix: str) -> str:
    return f"eservices_draft_{prefix}"


def client_session_key(_group, request) -> str:
    """Rate-limit key for one person: the browser's CSRF cookie (set with the first form it is
    shown, before any session exists), else the session, else the address."""
    session = getattr(request, "session", None)
    return "s:" + (
        request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        or (session.session_key if session is not None else None)
        or client_ip(request)
    )


def session_drafts(request):
    """The drafts this session has open (one per form)."""
    ids = [v for k, v in request.session.items() if k.startswith(session_key(""))]
    return Draft.objects.filter(pk__in=ids, dossier__isnull=True)


def draft_bytes(drafts) -> int:
    return drafts.aggregate(total=Sum("file_bytes"))["total"] or 0


class DraftStorage(BaseStorage):
    """formtools storage in a Draft row; several files per field."""

    def __init__(self, prefix, request=None, file_storage=None):
        super().__init__(prefix, request, file_storage)
        self.form_key = prefix
        self.draft = None
        draft_id = request.session.get(session_key(prefix)) if request else None
        if draft_id:
            self.draft = Draft.objects.filter(
                pk=draft_id, form_key=prefix, dossier__isnull=True
            ).first()
        self.expired = bool(draft_id) and self.draft is None
        if self.draft is not None and self.draft.data:
            self.data = copy.deepcopy(self.draft.data)
        else:
            self.init_data()
        self._saved = json.dumps(self.data, sort_keys=True)

    def _ensure_draft(self):
        if self.draft is None:
            self.draft = Draft.objects.create(form_key=self.form_key, data=self.data)
            self.request.session[session_key(self.form_key)] = str(self.draft.pk)
        return self.draft

    def get_step_files(self, step):
        stored = self.data[self.step_files_key].get(step) or {}
        files = MultiValueDict()
        for field, items in stored.items():
            uploads = []
            for item in items:
                if not self.file_storage.exists(item["tmp_name"]):
                    continue
                key = (step, field, item["tmp_name"])
                if key not in self._files:
                    upload = UploadedFile(
                        file=self.file_storage.open(item["tmp_name"]),
                        name=item["name"],
                        content_type=item.get("content_type"),
                        size=item.get("size"),
                    )
                    upload.draft_tmp_name = item["tmp_name"]
                    self._files[key] = upload
                uploads.append(self._files[key])
            files.setlist(field, uploads)
        return files or None

    def set_step_files(self, step, files):
        draft = self._ensure_draft()
        previous = self.data[self.step_files_key].get(step) or {}
        stored = {}
        pairs = files.lists() if isinstance(files, MultiValueDict) else (files or {}).items()
        for field, uploads in pairs:
            items = []
            for upload in uploads:
                tmp_name = getattr(upload, "draft_tmp_name", None)
                if tmp_name is None:
                    name = getattr(upload, "safe_name", None) or "tep"
                    upload.seek(0)
                    tmp_name = self.file_storage.save(
                        f"{draft.file_folder}/{uuid.uuid4().hex[:8]}_{name}", upload
                    )
                    upload.draft_tmp_name = tmp_name
                items.append(
                    {
                        "tmp_name": tmp_name,
                        "name": getattr(upload, "safe_name", upload.name),
                        "content_type": detected_content_type(upload),
                        "size": upload.size,
                    }
                )
            stored[field] = items
        kept = {item["tmp_name"] for items in stored.values() for item in items}
        for items in previous.values():
            self._tmp_files.extend(i["tmp_name"] for i in items if i["tmp_name"] not in kept)
        self.data[self.step_files_key][step] = stored

    def reset(self):
        for step_files in self.data[self.step_files_key].values():
            for items in step_files.values():
                self._tmp_files.extend(item["tmp_name"] for item in items)
        self.init_data()

    def forget(self):
        """Drop the draft from the session (after filing)."""
        self.request.session.pop(session_key(self.form_key), None)

    def file_bytes(self) -> int:
        return sum(
            item.get("size") or 0
            for step_files in self.data[self.step_files_key].values()
            for items in step_files.values()
            for item in items
        )

    def update_response(self, response):
        current = json.dumps(self.data, sort_keys=True)
        if current != self._saved and (self.draft is not None or self.data[self.step_data_key]):
            draft = self._ensure_draft()
            draft.data = self.data
            draft.file_bytes = self.file_bytes()
            draft.save(update_fields=["data", "file_bytes", "updated_at"])
            self._saved = current
        super().update_response(response)


class ReviewForm(forms.Form):
    consent = forms.BooleanField(
        required=True,
        label=gettext_lazy(
            "I declare that the information above is true, and I agree that the authority "
            "processes my personal data to handle this request."
        ),
        error_messages={"required": gettext_lazy("Confirm the declaration to submit.")},
    )

    def __init__(self, *args, channels=(), **kwargs):
        super().__init__(*args, **kwargs)
        if len(channels) > 1:
            # How the applicant hears of the dossier's progress (portal.notifications).
            self.fields["notify_by"] = forms.ChoiceField(
                label=gettext_lazy("Tell me about this dossier's progress by"),
                choices=channels,
                initial=channels[0][0],
                widget=forms.RadioSelect,
                error_messages={"required": gettext_lazy("Choose how to be told.")},
            )
            self.order_fields(["notify_by", "consent"])

    def error_links(self):
        return [
            (self[name].auto_id, m)
            for name in ("notify_by", "consent")
            for m in self.errors.get(name, [])
        ]


class SchemaWizard(NamedUrlWizardView):
    """A wizard over a form schema; subclasses load the schema and file the answers."""

    storage_name = "portal.eservices.wizard.DraftStorage"
    file_storage = private_storage
    template_name = "eservices/wizard_step.html"
    review_template_name = "eservices/wizard_review.html"
    consent_label = ""
    can_save_for_later = True

    @classmethod
    def as_view(cls, **kwargs):
        kwargs.setdefault("form_list", [("_", forms.Form)])
        kwargs.setdefault("done_step_name", DONE)
        return super().as_view(**kwargs)

    # --- set-up -------------------------------------------------------------------------------
    def load(self, request, **kwargs):
        """Set self.schema, self.form_key, self.title; may return a response to stop."""
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.url_kwargs = {k: v for k, v in kwargs.items() if k != "step"}
        stop = self.load(request, **kwargs)
        if stop is not None:
            return stop
        self.steps_by_key = {s["key"]: s for s in self.schema["steps"]}
        self.form_list = {s["key"]: StepForm for s in self.schema["steps"]}
        self.form_list[REVIEW] = ReviewForm
        self.condition_dict = {
            s["key"]: (
                lambda wizard, step=s: condition_met(
                    step["condition"], wizard.raw_answers(step["key"])
                )
            )
            for s in self.schema["steps"]
            if s.get("condition")
        }
        return super().dispatch(request, *args, **kwargs)

    def get_prefix(self, request, *args, **kwargs):
        return self.form_key

    def get_step_url(self, step):
        return reverse(self.url_name, kwargs={**self.url_kwargs, "step": step})

    def start_url(self):
        return reverse(self.url_name.replace("_step", "_start"), kwargs=self.url_kwargs)

    # --- answers ------------------------------------------------------------------------------
    def raw_answers(self, before_step=None):
        """Answers as typed (unvalidated) in the steps before ``before_step``: for conditions."""
        answers = {}
        for step in self.schema["steps"]:
            if step["key"] == before_step:
                break
            data = self.storage.get_step_data(step["key"])
            if not data:
                continue
            for spec in step["fields"]:
                name = f"{step['key']}-{spec['key']}"
                if spec["type"] in ("multichoice",):
                    answers[spec["key"]] = data.getlist(name)
                elif spec["type"] == "address":
                    answers[spec["key"]] = data.get(f"{name}__commune", "")
                else:
                    answers[spec["key"]] = data.get(name, "")
        return answers

    def get_form_kwargs(self, step=None):
        step = step or self.steps.current
        if step == REVIEW:
            return {"channels": self.notify_channels()}
        earlier_specs = []
        for s in self.schema["steps"]:
            if s["key"] == step:
                break
            earlier_specs.extend(s["fields"])
        return {
            "step": self.steps_by_key[step],
            "earlier": self.raw_answers(step),
            "context_specs": earlier_specs,
        }

    def get_form(self, step=None, data=None, files=None):
        refused = None
        if data is not None and data is self.request.POST and files is self.request.FILES:
            step = step or self.steps.current
            refused = self.upload_refusal(step)
            files = self._merged_files(step, take_new=refused is None)
        form = super().get_form(step, data, files)
        if isinstance(form, ReviewForm) and self.consent_label:
            form.fields["consent"].label = self.consent_label
        if refused and isinstance(form, StepForm):
            prefix = self.get_form_prefix(step)
            form.refuse_uploads({name[len(prefix) + 1 :] for name in self.request.FILES}, refused)
        return form

    def _merged_files(self, step, take_new=True):
        """New uploads replace a field's stored files; otherwise the stored ones are kept."""
        merged = MultiValueDict()
        stored = self.storage.get_step_files(step) or MultiValueDict()
        prefix = self.get_form_prefix(step)
        for name, uploads in stored.lists():
            field = name[len(prefix) + 1 :] if name.startswith(prefix + "-") else name
            if not self.request.POST.get(f"{prefix}-{field}__remove"):
                merged.setlist(name, uploads)
        if take_new:
            for name, uploads in self.request.FILES.lists():
                merged.setlist(name, uploads)
        return merged

    def upload_refusal(self, step):
        """Why the files of this post are not taken (too many uploads from this client, or the
        draft storage of the session or of the portal full), or None. Decided once a request."""
        if not self.request.FILES:
            return None
        if hasattr(self, "_upload_refusal"):
            return self._upload_refusal
        self._upload_refusal = None
        incoming = sum(f.size or 0 for _n, files in self.request.FILES.lists() for f in files)
        # Files this post replaces no longer count.
        stored = self.storage.data[self.storage.step_files_key].get(step) or {}
        replaced = sum(
            item.get("size") or 0
            for name, items in stored.items()
            if name in self.request.FILES
            for item in items
        )
        mb = 1024 * 1024
        if over_limit(self.request, "upload") or over_limit(
            self.request, "upload_session", key=client_session_key
        ):
            self._upload_refusal = _(
                "You have attached many files in a short time, so this file was not taken. "
                "Please wait a few minutes and attach it again; your other answers are kept."
            )
        elif (
            draft_bytes(session_drafts(self.request)) - replaced + incoming
            > settings.ESERVICES_DRAFT_SESSION_MB * mb
        ):
            self._upload_refusal = _(
                "Your forms in progress already hold %(mb)s MB of files, the most one person may "
                "attach at a time, so this file was not taken. Remove a file you do not need or "
                "submit the form first; your other answers are kept."
            ) % {"mb": settings.ESERVICES_DRAFT_SESSION_MB}
        elif (
            draft_bytes(Draft.objects.filter(dossier__isnull=True)) + incoming
            > settings.ESERVICES_DRAFT_TOTAL_MB * mb
        ):
            self._upload_refusal = _(
                "The service cannot take more files right now, so this file was not taken. "
                "Please try again later; your other answers are kept."
            )
        return self._upload_refusal

    def process_step_files(self, form):
        files = MultiValueDict()
        for key, spec in getattr(form, "specs", {}).items():
            if spec["type"] == "file":
                files.setlist(form.add_prefix(key), form.cleaned_data.get(key) or [])
        return files

    def cleaned_answers(self, form_dict):
        answers, uploads = {}, []
        for step_key, form in form_dict.items():
            if step_key == REVIEW:
                continue
            for key, value in form.answers().items():
                if form.specs[key]["type"] == "file":
                    answers[key] = [{"name": u.safe_name, "size": u.size} for u in value or []]
                    uploads.extend((key, u) for u in value or [])
                else:
                    answers[key] = value
        return answers, uploads

    # --- flow ---------------------------------------------------------------------------------
    def get(self, request, *args, **kwargs):
        step = kwargs.get("step")
        if step == self.done_step_name:
            return redirect(self.start_url())
        last = self.request.session.get(f"eservices_last_{self.form_key}")
        if step and step != self.steps.first and self.storage.draft is None and last:
            # Back after filing: the later pages of a filed form lead to what was filed, not to an
            # empty check page that could be sent again. The first step still starts a new form.
            return redirect(self.after_filing_url(last))
        if step and request.GET.get("quay-lai") == REVIEW:
            self.storage.extra_data["return_to_review"] = True
        return super().get(request, *args, **kwargs)

    def post(self, *args, **kwargs):
        posted_step = self.request.POST.get(f"{self.prefix}-current_step", "")
        if self.storage.draft is None and posted_step and posted_step != self.steps.first:
            last = self.request.session.get(f"eservices_last_{self.form_key}")
            if last and posted_step == REVIEW:
                # The form was already filed (a refresh or a second click): show what was filed.
                return redirect(self.after_filing_url(last))
            messages.warning(
                self.request,
                _(
                    "Your session has expired, so what you typed was not kept. Please start again; "
                    "next time use “Save and continue later” to keep a link to your form."
                ),
            )
            return redirect(self.start_url())
        if posted_step not in self.get_form_list():
            # A tampered or stale step name: show the step the wizard is really at.
            return redirect(self.get_step_url(self.steps.current))
        if posted_step != self.steps.current:
            self.storage.current_step = posted_step
        saving = "_save" in self.request.POST and self.can_save_for_later
        if "_refresh" in self.request.POST or saving:
            form = self.get_form(data=self.request.POST, files=self.request.FILES)
            self.storage.set_step_data(self.steps.current, self.process_step(form))
            if saving:
                draft = self.storage._ensure_draft()
                # A resume link now exists: the draft keeps its files for the full period.
                Draft.objects.filter(pk=draft.pk).update(link_saved_at=timezone.now())
                return redirect(
                    reverse("eservices:draft_saved", kwargs={"form_key": self.form_key})
                )
            return self.render(form, refreshing=True)
        goto = self.request.POST.get("wizard_goto_step")
        if goto and goto in self.get_form_list():
            form = self.get_form(data=self.request.POST, files=self.request.FILES)
            self.storage.set_step_data(self.steps.current, self.process_step(form))
            return self.render_goto_step(goto)
        return super().post(*args, **kwargs)

    def render_next_step(self, form, **kwargs):
        if self.storage.extra_data.pop("return_to_review", False):
            self.storage.current_step = REVIEW
            return redirect(self.get_step_url(REVIEW))
        return super().render_next_step(form, **kwargs)

    def render_revalidation_failure(self, failed_step, form, **kwargs):
        messages.error(
            self.request,
            _("Please check this step again: an answer is missing or no longer valid."),
        )
        return super().render_revalidation_failure(failed_step, form, **kwargs)

    def render_done(self, form, **kwargs):
        # Filed on the POST of the review step (no redirect to a "done" URL that a GET would file).
        return WizardView.render_done(self, form, **kwargs)

    def notify_channels(self) -> list[tuple[str, str]]:
        """Channels the filer may choose to hear of progress on (none: no choice asked)."""
        return []

    def done(self, form_list, form_dict=None, **kwargs):
        review = (form_dict or {}).get(REVIEW)
        self.notify_by = review.cleaned_data.get("notify_by", "") if review is not None else ""
        answers, uploads = self.cleaned_answers(form_dict)
        target = self.file(
            answers, uploads, self.storage.draft.pk if self.storage.draft else uuid.uuid4()
        )
        self.storage.forget()
        return target

    def file(self, answers, uploads, submission_key):
        raise NotImplementedError

    def after_filing_url(self, reference):
        raise NotImplementedError

    # --- rendering ----------------------------------------------------------------------------
    def get_template_names(self):
        if self.steps.current == REVIEW:
            return [self.review_template_name]
        return [self.template_name]

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        show_errors = self.request.method == "POST" and not kwargs.get("refreshing")
        context.update(
            title=self.title,
            show_errors=show_errors and bool(form.errors),
            error_links=form.error_links() if show_errors else [],
            step_schema=self.steps_by_key.get(self.steps.current),
            prev_url=self.get_step_url(self.steps.prev) if self.steps.prev else None,
            stored_files=self._stored_file_names(),
            resume_url=self.resume_url() if self.can_save_for_later else None,
            can_save_for_later=self.can_save_for_later,
            step_number=self.steps.step1,
            step_count=self.steps.count,
        )
        if self.steps.current == REVIEW:
            context["rows"] = self.review_rows()
        return context

    def _stored_file_names(self):
        stored = self.storage.data[self.storage.step_files_key].get(self.steps.current) or {}
        prefix = self.get_form_prefix()
        return {
            name[len(prefix) + 1 :]: [item["name"] for item in items]
            for name, items in stored.items()
        }

    def review_rows(self):
        answers, active = {}, []
        for step_key in self.get_form_list():
            if step_key == REVIEW:
                continue
            active.append(step_key)
            data = self.get_cleaned_data_for_step(step_key)
            if data is None:
                continue
            for spec in self.steps_by_key[step_key]["fields"]:
                value = data.get(spec["key"])
                if spec["type"] == "file":
                    value = [{"name": getattr(u, "safe_name", u.name)} for u in value or []]
                answers[spec["key"]] = value
        rows = []
        for step, items in answer_rows(self.schema, answers):
            if step["key"] in active:
                rows.append((step, items, self.get_step_url(step["key"]) + f"?quay-lai={REVIEW}"))
        return rows

    def resume_url(self):
        draft = self.storage.draft
        if draft is None:
            return None
        return self.request.build_absolute_uri(
            reverse("eservices:resume", kwargs={"token": resume_token(draft)})
        )


def resume_token(draft) -> str:
    return signing.dumps(str(draft.pk), salt=RESUME_SALT, compress=False)


def draft_from_token(token: str, max_age_days: int):
    try:
        draft_id = signing.loads(token, salt=RESUME_SALT, max_age=max_age_days * 86400)
        return Draft.objects.filter(pk=uuid.UUID(str(draft_id)), dossier__isnull=True).first()
    except (signing.BadSignature, ValueError, TypeError):
        return None
