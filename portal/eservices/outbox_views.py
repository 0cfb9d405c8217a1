"""E-mails that could not be sent, for the one-stop desk: a list, and a way to send again."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.audit import record

from .admin_views import PROCESS, VIEW, scoped_dossiers
from .models import OutboxEmail
from .tasks import resend


def failed_emails(request):
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    emails = scoped_dossiers(request.user, OutboxEmail.objects.failed(), "dossier__commune")
    emails = emails.select_related("dossier").order_by("-given_up_at")
    return render(
        request,
        "eservices/admin/failed_emails.html",
        {
            "page_title": _("E-mails not sent"),
            "header_icon": "mail",
            "page_obj": Paginator(emails, 30).get_page(request.GET.get("p")),
            "can_process": request.user.has_perm(PROCESS),
        },
    )


@require_POST
def resend_email(request, pk):
    if not request.user.has_perm(PROCESS):
        raise PermissionDenied
    with transaction.atomic():
        message = get_object_or_404(
            scoped_dossiers(
                request.user, OutboxEmail.objects.select_for_update(), "dossier__commune"
            ).filter(sent_at__isnull=True),
            pk=pk,
        )
        resend(message)
        record(request, "eservices.resend_email", subject=f"{message.pk} → {message.to}")
    messages.success(request, _("The e-mail to %(to)s is being sent again.") % {"to": message.to})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = "eservices_admin:failed_emails"
    return redirect(back)
