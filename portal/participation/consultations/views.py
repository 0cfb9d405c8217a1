"""The citizen's side: the comment form of a draft (whole or one section) and the page after it.

The draft's own page is cached for everyone; the form is a page of its own, with a CSRF token,
never cached. It takes comments only while the draft is open (the rule is checked here, on every
post, whatever an older cached copy of the draft's page showed).
"""

import logging

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.core.ratelimit import limit
from portal.core.sites import site_for_request

from .forms import CommentForm
from .models import Comment, DraftPage, Phase
from .retention import retention_days

logger = logging.getLogger(__name__)
RATE_GROUP = "form"


def _draft_of_this_site(request, page_id):
    """A live, public draft of the site the request is for (404 for another site's draft)."""
    site = site_for_request(request)
    draft = DraftPage.objects.live().public().filter(pk=page_id).first()
    if draft is None or site is None or not draft.path.startswith(site.root_page.path):
        raise Http404
    return site, draft


@never_cache
@require_http_methods(["GET", "POST"])
@limit(RATE_GROUP)
def comment(request, page_id):
    site, draft = _draft_of_this_site(request, page_id)
    phase = draft.phase()
    context = {"draft": draft, "phase": phase}
    if phase != Phase.OPEN:
        return render(request, "consultations/comment_closed.html", context)
    if request.method == "POST":
        form = CommentForm(request.POST, draft=draft)
        if form.is_bot:
            # Answered as a success, so that a bot learns nothing; nothing is kept.
            logger.info("comment on draft %s dropped: honeypot filled", draft.pk)
            return redirect("consultations:sent", page_id=draft.pk)
        if form.is_valid():
            _save(form, draft, site)
            return redirect("consultations:sent", page_id=draft.pk)
    else:
        form = CommentForm(draft=draft, initial={"section": request.GET.get("muc", "")})
    context.update(
        form=form,
        error_links=form.error_links() if form.is_bound else [],
        retention_days=retention_days(),
    )
    status = 400 if form.is_bound else 200
    return render(request, "consultations/comment_form.html", context, status=status)


def _save(form, draft, site) -> Comment:
    data = form.cleaned_data
    section = data["section"]
    has_contact = bool(data["name"] or data["phone"] or data["email"])
    return Comment.objects.create(
        page=draft,
        section=section,
        section_heading=section.heading if section else "",
        site=site,
        body=data["body"],
        name=data["name"],
        phone=data["phone"],
        email=data["email"],
        consented_at=timezone.now() if has_contact else None,
    )


@never_cache
def sent(request, page_id):
    _site, draft = _draft_of_this_site(request, page_id)
    return render(request, "consultations/comment_sent.html", {"draft": draft})
