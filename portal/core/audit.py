"""Recording accesses to personal data in the append-only audit log."""

from .models import AuditEntry
from .net import client_ip


def record(request, action: str, subject: str = "", parameters=None, count: int = 0):
    """Record that the request's user viewed or exported personal data."""
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
