from django import template
from wagtail.models import Page

from .. import votes
from ..views import service_rating_for

register = template.Library()


@register.inclusion_tag("ratings/usefulness_form.html", takes_context=True)
def usefulness_form(context):
    """ "Thông tin này có hữu ích không?" under a page's content. No token in it: the page stays
    cacheable (the vote view checks the post's origin instead)."""
    page = context.get("page")
    if not isinstance(page, Page) or not page.pk or not page.live:
        return {"page": None}
    return {"page": page}


@register.inclusion_tag("ratings/service_form.html", takes_context=True)
def service_rating(context, dossier, stage):
    """The rating of the service a dossier used, at one stage (after filing, after the result)."""
    from ..forms import ServiceRatingForm

    current = service_rating_for(dossier, stage)
    initial = {}
    if current:
        initial = {
            "satisfaction": current.satisfaction,
            "reasons": current.reasons,
            "comment": current.comment,
        }
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "form": ServiceRatingForm(initial=initial, auto_id="rating_%s"),
        "token": votes.service_token(dossier, stage),
        "current": current,
        "stage": stage,
    }
