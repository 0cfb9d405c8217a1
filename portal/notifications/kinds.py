"""What the apps tell the notifications about their records, through Wagtail hooks:

- ``portal_notification_about`` returns an ``About``: the records of one model that messages
  concern (``notify(..., about=record)``). The delivery report filters by its name
  (``?about=dossiers``), links each message to its record, and shows a message about such a
  record only to staff who may see the record, by the app's own scope rule (a dossier's messages
  only to the desk of its commune). Messages about anything else follow the sites' rule
  (``core.scope.site_ids_for``).
- ``portal_notification_attachments`` returns ``{kind: builder}``: a file an e-mail carries
  (``notify(..., attachments=[kind])``), built when the message is sent by
  ``builder(notification) -> (filename, content, mimetype)``, from the record it is about (a
  dossier's receipt is drawn again from the dossier). A builder that fails counts as a failed
  try, like a mail server that does not answer.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from portal.core.scope import site_ids_for


@dataclass(frozen=True)
class About:
    name: str  # in the report's filter: ?about=dossiers
    label: str
    model: type
    # The records of ``model`` the user may see: scope(user, model's queryset) -> queryset.
    scope: Callable
    # The record's screen in the admin, or None.
    url: Callable | None = None


def abouts() -> dict[str, About]:
    from wagtail import hooks

    found = {}
    for hook in hooks.get_hooks("portal_notification_about"):
        about = hook()
        found[about.name] = about
    return found


def about_of_model(model) -> About | None:
    return next((a for a in abouts().values() if issubclass(model, a.model)), None)


def attachment_builders() -> dict[str, Callable]:
    from wagtail import hooks

    builders = {}
    for hook in hooks.get_hooks("portal_notification_attachments"):
        builders.update(hook())
    return builders


def build_attachments(message) -> list[tuple[str, bytes, str]]:
    """The files of a message being sent (``attachments``), built now."""
    if not message.attachments:
        return []
    builders = attachment_builders()
    files = []
    for kind in message.attachments:
        builder = builders.get(kind)
        if builder is None:
            raise LookupError(f"no builder for the attachment {kind!r}")
        files.append(builder(message))
    return files


def _about_q(about: About, user) -> Q:
    content_type = ContentType.objects.get_for_model(about.model)
    visible = (
        about.scope(user, about.model._default_manager.all())
        .annotate(pk_text=Cast("pk", CharField()))
        .values("pk_text")
    )
    return Q(about_type=content_type, about_id__in=visible)


def visible_q(user, only: str = "") -> Q:
    """The messages the user may see: those about a record of a registered kind by that kind's
    scope, any other by its site. ``only`` keeps those about one kind (``"dossiers"``)."""
    kinds = abouts()
    if only:
        about = kinds.get(only)
        return _about_q(about, user) if about is not None else Q(pk__in=[])
    registered = [ContentType.objects.get_for_model(a.model).pk for a in kinds.values()]
    site_ids = site_ids_for(user)
    others = ~Q(about_type__in=registered)
    if site_ids is not None:
        others &= Q(site__in=site_ids)
    for about in kinds.values():
        others |= _about_q(about, user)
    return others


def scope_notifications(user, queryset, only: str = ""):
    return queryset.filter(visible_q(user, only))


def in_scope(user, message) -> bool:
    return scope_notifications(user, type(message).objects.filter(pk=message.pk)).exists()


def about_url(message) -> str:
    """The admin screen of the record a message is about, or ""."""
    if not message.about_type_id:
        return ""
    model = ContentType.objects.get_for_id(message.about_type_id).model_class()
    about = about_of_model(model) if model is not None else None
    record = message.about if about is not None and about.url else None
    return about.url(record) if record is not None else ""


def report_url(**filters) -> str:
    """The delivery report's address, filtered (``about="dossiers", status="not_delivered"``)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    url = reverse("notifications:index")
    return f"{url}?{urlencode(filters)}" if filters else url
