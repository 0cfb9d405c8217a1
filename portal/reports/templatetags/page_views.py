"""``{% visitor_counter %}``: the footer's "Lượt truy cập", views of the site (all time, today)."""

import logging

from django import template
from wagtail.models import Site

from portal.reports.counting import site_totals

logger = logging.getLogger(__name__)
register = template.Library()


@register.inclusion_tag("reports/visitor_counter.html", takes_context=True)
def visitor_counter(context):
    """The request's site's views (cached 5 minutes); nothing shown if they cannot be read."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    totals = None
    if site is not None:
        try:
            totals = site_totals(site)
        except Exception:  # a counter must never break a page
            logger.exception("The visitor counter could not be read")
    if totals is not None:
        # Thousands grouped with a dot, as Vietnamese writes them: 12.345.
        totals = {k: f"{v:,}".replace(",", ".") for k, v in totals.items()}
    return {"totals": totals}
