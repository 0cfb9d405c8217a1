"""Messages to applicants that could not be sent: the one-stop desk finds them in the delivery
report of portal.notifications, filtered to dossiers (scoped per commune like the dossiers), and
sends them again there. The old address of the desk's list leads to it."""

from django.shortcuts import redirect

from portal.notifications.kinds import report_url


def failed_messages_url() -> str:
    """The delivery report: messages about dossiers that were not sent (failed or given up)."""
    return report_url(about="dossiers", status="not_delivered")


def failed_emails(request):
    """/admin/ho-so/thu-loi/, where the desk's list of e-mails not sent used to be."""
    return redirect(failed_messages_url())
