"""Who sees the statistics and makes reports: the editors and leaders of a site's content (the
district-wide roles, and each unit site's own editors and approvers), for the sites they edit."""

from portal.core import roles
from portal.core.scope import site_ids_for, sites_for

REPORT_ROLES = (roles.EDITOR, roles.APPROVER, roles.ADMINISTRATOR)


def can_make_reports(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    ids = site_ids_for(user)
    return ids is None or bool(ids)


def sites_for_reports(user):
    """The sites whose statistics the user may read: those whose content they edit."""
    return sites_for(user).select_related("root_page")
