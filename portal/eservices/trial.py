"""Trying a procedure's online form before it is published (staff only).

An editor who changes a form follows it as a citizen would, step by step, on the latest draft of
the page: the same wizard, conditions, checks and review. At the end nothing is filed, no code is
taken, no e-mail leaves: the answers are shown back and the draft with its files is deleted.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.menus.pages import PageMenuItem

from .models import Draft, ServicePage
from .schema import answer_rows
from .tasks import _delete_folder
from .views import ServiceWizard


def _editable_service(request, page_id):
    page = ServicePage.objects.filter(pk=page_id).first()
    if page is None or not page.permissions_for_user(request.user).can_edit():
        raise Http404
    return page


class TrialWizard(ServiceWizard):
    can_save_for_later = False

    def load(self, request, **kwargs):
        page = _editable_service(request, kwargs["page_id"])
        self.page = page.get_latest_revision_as_object()
        self.site = page.get_site()
        self.schema = self.page.form_schema()
        if not self.schema["steps"]:
            raise Http404
        self.form_key = f"try{page.pk}"
        self.title = _("Trial of the draft: %(title)s") % {"title": self.page.title}
        return None

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        context["trial"] = True
        return context

    def file(self, answers, uploads, submission_key):
        draft = Draft.objects.filter(pk=submission_key).first()
        if draft is not None:
            _delete_folder(draft.file_folder)
            draft.delete()
        self.storage.draft = None  # nothing left to save the emptied answers into
        context = {
            "title": self.title,
            "rows": answer_rows(self.schema, answers),
            "again_url": self.start_url(),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
        }
        return render(self.request, "eservices/trial_done.html", context)

    def after_filing_url(self, reference):
        return self.start_url()


trial_wizard = TrialWizard.as_view(url_name="eservices_trial_step")


class TrialButton(PageMenuItem):
    """ "Try the form" beside a procedure's edit button."""

    label = gettext_lazy("Try the draft form")
    icon_name = "form"
    url_name = "eservices_trial_start"

    def is_shown(self, user):
        page = self.page.specific_deferred
        return bool(page.online_form) and page.permissions_for_user(user).can_edit()
