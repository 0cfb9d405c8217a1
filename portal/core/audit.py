"""The append-only audit log: accesses to personal data, and changes to staff accounts."""

from contextvars import ContextVar

from .models import AuditEntry
from .net import client_ip

_current_request = ContextVar("portal_audit_request", default=None)


def record(request, action: str, subject: str = "", parameters=None, count: int = 0):
    """Record that the request's user viewed or exported personal data, or changed an account.

    ``request`` is None outside a request (a management command, the shell): no user, no address.
    """
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    return AuditEntry.objects.create(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        action=action,
        subject=subject[:250],
        parameters=parameters or {},
        record_count=count,
        ip_address=client_ip(request) if request is not None else None,
    )


def current_request():
    """The request being answered, for entries written where none is passed (model signals)."""
    return _current_request.get()


class RequestContextMiddleware:
    """Makes the request known to ``current_request()`` while it is answered.

    Account changes are recorded by model signals (``portal.core.users``), which receive no request;
    this is how their entries name who made the change and from which address.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
