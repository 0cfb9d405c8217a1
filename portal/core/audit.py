"""The append-only audit log: accesses to personal data, and changes to staff accounts.

What an entry says is read by people (administrators, an inspector), so every action code has a
label, declared by the module that records it (at import, or in its app's ``ready()``); the log
screen (``audit_admin``) only reads them::

    audit.register_actions({"eservices.view_dossier": _("Viewed a dossier")})

``action_label`` answers a code with its label; a code nobody declared is read by its longest
declared prefix and the words of the rest (``checkpoints.checkins.list`` → "Check-ins: list
viewed"), never shown raw. Parameters are shown by ``describe_parameters``: their keys by the
labels declared with ``register_parameters`` (or the filter's own label, stored by
``record_listing``), booleans as Có/Không, administrative units by name.

A listing of personal data records how many rows the page actually showed: ``record_listing``
counts them, and ``AuditedListingMixin`` does it for a Wagtail listing view (its results fragment
included).
"""

from collections.abc import Iterable
from contextvars import ContextVar

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .masking import mask_numbers
from .models import AuditEntry
from .net import client_ip

_current_request = ContextVar("portal_audit_request", default=None)

# code → label; prefix code → label of the family.
_ACTIONS: dict[str, str] = {}
# parameter key → label; the keys any listing or search records, the rest declared by their apps.
_PARAMETERS: dict[str, str] = {
    "q": _("Search"),
    "p": _("Page"),
    "view": _("Screen"),
    "commune": _("Commune"),
    "phone": _("Phone number"),
    "id_number": _("ID number"),
    "from": _("From"),
    "to": _("To"),
}
# Last parts of a code, read when a code is known only by its prefix.
_SUFFIXES = {
    "list": _("list viewed"),
    "view": _("record viewed"),
    "export": _("exported"),
    "csv": "CSV",
    "xlsx": "Excel",
    "json": "JSON",
}


def register_actions(labels: dict[str, str]) -> None:
    """Declare the labels of action codes (or of a family of codes, by their common prefix)."""
    _ACTIONS.update(labels)


def register_parameters(labels: dict[str, str]) -> None:
    """Declare the labels of parameter keys recorded with entries."""
    _PARAMETERS.update(labels)


def action_label(code: str) -> str:
    if code in _ACTIONS:
        return str(_ACTIONS[code])
    parts = code.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in _ACTIONS:
            rest = [str(_SUFFIXES.get(p, p.replace("_", " "))) for p in parts[cut:]]
            return f"{_ACTIONS[prefix]}: {' '.join(rest)}"
    return gettext("Other action (%(code)s)") % {"code": code}


def family_label(prefix: str) -> str:
    """A filter value that is a family of codes (``checkpoints``), or a single code."""
    if prefix in _ACTIONS and AuditEntry.objects.filter(action__startswith=prefix + ".").exists():
        return gettext("%(label)s (all)") % {"label": _ACTIONS[prefix]}
    return action_label(prefix)


def action_choices(codes: Iterable[str]) -> list[tuple[str, str]]:
    """Choices for a filter on the codes given: each family (a declared prefix shared by several
    codes), then each code, by label."""
    codes = sorted(set(codes))
    families = {
        prefix for prefix in _ACTIONS if sum(1 for c in codes if c.startswith(prefix + ".")) > 1
    }
    choices = [(p, gettext("%(label)s (all)") % {"label": _ACTIONS[p]}) for p in families]
    choices += [(c, action_label(c)) for c in codes]
    return sorted(choices, key=lambda choice: str(choice[1]).lower())


def format_value(value) -> str:
    """A parameter's value as text for people: Có/Không, lists joined, nothing as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list | tuple):
        return ", ".join(format_value(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{_key_label(k)}: {format_value(v)}" for k, v in value.items())
    if isinstance(value, models.Model):
        return str(value)
    if value in ("True", "true", "on"):
        return gettext("Yes")
    if value in ("False", "false"):
        return gettext("No")
    return str(value)


def _key_label(key: str) -> str:
    if key in _PARAMETERS:
        return str(_PARAMETERS[key])
    last = key.split("__")[-1]
    if last in _PARAMETERS:
        return str(_PARAMETERS[last])
    return key.replace("__", " ").replace("_", " ").strip().capitalize()


def _unit_name(value) -> str | None:
    from .models import AdministrativeUnit

    try:
        unit = AdministrativeUnit.objects.filter(pk=int(value)).first()
    except (TypeError, ValueError):
        return None
    return unit.display_name if unit else None


def describe_parameters(parameters: dict) -> list[tuple[str, str]]:
    """(label, value) pairs of an entry's parameters, for the log screen."""
    described = []
    for key, value in (parameters or {}).items():
        text = None
        if key.split("__")[-1] in ("commune", "unit") and not isinstance(value, bool):
            text = _unit_name(value)
        described.append((capfirst(_key_label(key)), text or format_value(value)))
    return described


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


def listing_parameters(request, filters=None, search_query="") -> dict:
    """What a listing was asked for, as people read it: each filter set by its label and the
    value shown in the filter (a commune by name), the search terms with numbers masked."""
    parameters = {}
    if search_query:
        parameters[gettext("Search")] = mask_numbers(search_query)
    form = getattr(filters, "form", None)
    if form is not None and filters.is_valid():
        for name in form.changed_data:
            field = form.fields[name]
            value = form.cleaned_data.get(name)
            if value in (None, "", [], ()):
                continue
            choices = dict(getattr(field, "choices", None) or [])
            if not isinstance(value, models.Model) and str(value) in map(str, choices):
                value = next(str(label) for key, label in choices.items() if str(key) == str(value))
            parameters[str(field.label or name)] = mask_numbers(format_value(value))
    elif request is not None:
        parameters = {k: mask_numbers(v) for k, v in request.GET.items() if k != "p"}
    return parameters


def record_listing(request, action: str, rows, parameters=None, subject: str = ""):
    """Record a page of a listing of personal data with the number of rows it showed."""
    return record(request, action, subject=subject, parameters=parameters, count=len(rows))


class AuditedListingMixin:
    """For a Wagtail listing view (``IndexView``) of personal data: each page shown, the results
    fragment that the filters refresh included, is recorded under ``audit_list_action`` with the
    rows it showed, the filters by their labels and the search terms masked."""

    audit_list_action = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.audit_list_action and not getattr(self, "is_export", False):
            record_listing(
                self.request,
                self.audit_list_action,
                context["object_list"],
                listing_parameters(self.request, self.filters, self.search_query),
            )
        return context


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
