"""Who sees the statistics and makes reports: the editors and leaders of a site's content (the
district-wide roles, and each unit site's own editors and approvers), for the sites they edit.

Report templates follow the same sites: a unit's template is seen and used by the staff of that
unit's site only; a shared template (no site) by everyone who makes reports, and is changed only by
district-wide staff (those who edit every site).
"""

from django.db.models import Q

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


def templates_for(user, site_ids=None):
    """The report templates the user may see and use: the shared ones and those of their sites;
    with ``site_ids`` (the units picked), only the shared ones and those of these sites."""
    from .models import ReportTemplate

    if not can_make_reports(user):
        return ReportTemplate.objects.none()
    mine = site_ids_for(user)
    if site_ids is not None:
        site_ids = [pk for pk in site_ids if mine is None or pk in mine]
        return ReportTemplate.objects.filter(Q(site__isnull=True) | Q(site__in=site_ids))
    if mine is None:
        return ReportTemplate.objects.all()
    return ReportTemplate.objects.filter(Q(site__isnull=True) | Q(site__in=mine))


def can_change_template(user, template) -> bool:
    """A unit's template: its site's staff; a shared one: district-wide staff."""
    if not can_make_reports(user):
        return False
    mine = site_ids_for(user)
    return mine is None or (template.site_id is not None and template.site_id in mine)
