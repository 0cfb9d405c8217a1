"""The citizen's side: a vote on a page, its reason, and the rating of a service."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Page

from portal.core.ratelimit import limit
from portal.core.sites import site_for_request

from . import votes
from .forms import PageReasonForm, ServiceRatingForm
from .models import PageVote, ServiceRating, Stage


def _page_of_this_site(request, page_id):
    """A live, public page of the site the request is for (404 for another site's page)."""
    site = site_for_request(request)
    page = Page.objects.live().public().filter(pk=page_id).first()
    if page is None or site is None or not page.path.startswith(site.root_page.path):
        raise Http404
    return site, page


@csrf_exempt  # cached pages carry no token: votes.same_origin checks where the post comes from
@never_cache
@require_POST
@limit("rating")
def vote(request, page_id):
    if not votes.same_origin(request):
        raise PermissionDenied(_("This form can only be sent from the portal's own pages."))
    site, page = _page_of_this_site(request, page_id)
    answer = request.POST.get("huu_ich")
    if answer not in ("1", "0"):
        return HttpResponseBadRequest(_("Choose “Yes” or “No”."))
    voter, new = votes.voter_id(request)
    votes.record_page_vote(page=page, site=site, voter=voter, useful=answer == "1")
    response = redirect("ratings:thanks", page_id=page.pk)
    if new:
        votes.set_voter_cookie(response, request, voter)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@limit("rating")
def thanks(request, page_id):
    """After a vote: thanks, and an optional reason (this page is the voter's own: CSRF-guarded)."""
    _site, page = _page_of_this_site(request, page_id)
    voter = request.COOKIES.get(votes.VOTER_COOKIE, "")
    vote = PageVote.objects.filter(page=page, voter=votes.voter_digest(voter, page.pk)).first()
    if vote is None:
        return redirect(page.get_url(request) or "/")
    saved = False
    if request.method == "POST":
        form = PageReasonForm(request.POST, useful=vote.useful)
        if form.is_valid():
            vote.reason = form.cleaned_data["reason"]
            vote.comment = form.cleaned_data["comment"]
            vote.save(update_fields=["reason", "comment", "updated_at"])
            saved = True
    else:
        form = PageReasonForm(
            useful=vote.useful, initial={"reason": vote.reason, "comment": vote.comment}
        )
    return render(
        request,
        "ratings/thanks.html",
        {"rated_page": page, "vote": vote, "form": form, "saved": saved},
    )


def _dossier_for(token):
    from portal.eservices.models import Dossier

    found = votes.read_service_token(token or "")
    if found is None:
        return None, ""
    dossier_id, stage = found
    if stage not in Stage.values:
        return None, ""
    return Dossier.objects.select_related("service", "site").filter(pk=dossier_id).first(), stage


@never_cache
@require_POST
@limit("rating")
def rate_service(request):
    dossier, stage = _dossier_for(request.POST.get("token"))
    if dossier is None:
        raise Http404
    form = ServiceRatingForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "ratings/service_form_page.html",
            {"form": form, "token": request.POST.get("token"), "dossier": dossier},
            status=400,
        )
    rating, _created = ServiceRating.objects.update_or_create(
        dossier_ref=votes.dossier_ref(dossier.pk),
        stage=stage,
        defaults={
            "service": dossier.service,
            "service_title": dossier.service_title,
            "site": dossier.site,
            "commune_id": dossier.commune_id,
            "satisfaction": form.cleaned_data["satisfaction"],
            "reasons": form.cleaned_data["reasons"],
            "comment": form.cleaned_data["comment"],
        },
    )
    return render(request, "ratings/service_thanks.html", {"rating": rating, "dossier": dossier})


def service_rating_for(dossier, stage):
    return ServiceRating.objects.filter(
        dossier_ref=votes.dossier_ref(dossier.pk), stage=stage
    ).first()
