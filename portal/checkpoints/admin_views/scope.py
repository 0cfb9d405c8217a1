"""What a staff member may reach on the checkpoint screens: their communes' checkpoints and their
own poster exports, and the permissions a screen asks for."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from portal.core.scope import communes_for, filter_by_commune

from ..models import Checkpoint, PosterExport


def scoped_checkpoints(user):
    return filter_by_commune(Checkpoint.objects.select_related("commune"), user)


def get_scoped_checkpoint(user, pk):
    return get_object_or_404(
        filter_by_commune(Checkpoint.objects.select_related("commune", "commune__parent"), user),
        pk=pk,
    )


def scoped_exports(user):
    """Poster exports the user made, within the communes they still work on (an export of
    "all my communes" has none)."""
    exports_ = PosterExport.objects.select_related("commune")
    if user.is_superuser:
        return exports_
    mine = exports_.filter(created_by=user)
    return filter_by_commune(mine, user) | mine.filter(commune__isnull=True)


def require_perm(user, *perms):
    if not all(user.has_perm(p) for p in perms):
        raise PermissionDenied


def communes_choices(request):
    """The communes a list can be filtered by: the user's."""
    return communes_for(request.user) if request else Checkpoint.objects.none()
