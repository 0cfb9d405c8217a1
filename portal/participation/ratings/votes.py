"""The rules of a vote: who a browser is (without knowing who the person is), where a post may
come from, and how a dossier is named without naming it."""

import secrets
from urllib.parse import urlsplit

from django.core import signing
from django.db import transaction
from django.utils.crypto import salted_hmac

VOTER_COOKIE = "danh_gia"
VOTER_COOKIE_AGE = 365 * 24 * 3600
SERVICE_SALT = "portal.ratings.service"
_VOTER_SALT = "portal.ratings.voter"
_DOSSIER_SALT = "portal.ratings.dossier"


def voter_id(request) -> tuple[str, bool]:
    """The browser's random voter id, and whether it is new (then the response sets it)."""
    value = request.COOKIES.get(VOTER_COOKIE, "")
    if 16 <= len(value) <= 64 and value.isalnum():
        return value, False
    return secrets.token_hex(16), True


def set_voter_cookie(response, request, value: str):
    response.set_cookie(
        VOTER_COOKIE,
        value,
        max_age=VOTER_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def voter_digest(voter: str, page_id: int) -> str:
    """The vote's key: the voter of one page. The same browser on two pages gives two unrelated
    digests, so votes cannot be put together into a browsing history."""
    return salted_hmac(_VOTER_SALT, f"{voter}:{page_id}", algorithm="sha256").hexdigest()


def dossier_ref(dossier_id: int) -> str:
    """A dossier's key in the ratings: the same dossier always, no way back to it."""
    return salted_hmac(_DOSSIER_SALT, str(dossier_id), algorithm="sha256").hexdigest()


def service_token(dossier, stage: str) -> str:
    """What the rating form carries: proof that the poster saw this dossier's page."""
    return signing.dumps({"d": dossier.pk, "s": stage}, salt=SERVICE_SALT, compress=False)


def read_service_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=SERVICE_SALT, max_age=90 * 24 * 3600)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("d"), int):
        return None
    return data["d"], str(data.get("s", ""))


def same_origin(request) -> bool:
    """Whether a post comes from a page of this host.

    The vote form stands on every page, and pages are cached for everyone, so it carries no CSRF
    token (a page holding one could not be cached). What CSRF guards against is checked instead
    from the browser's own headers: Origin (sent with every POST by current browsers), else
    Sec-Fetch-Site, else the Referer; a post with none of them is refused."""
    host = request.get_host()
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return urlsplit(origin).netloc == host
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site == "same-origin"
    referer = request.headers.get("Referer")
    if referer:
        return urlsplit(referer).netloc == host
    return False


def record_page_vote(*, page, site, voter: str, useful: bool):
    """The browser's vote on the page: created, or changed (the reason of an earlier vote of the
    other kind is dropped)."""
    from .models import PageVote

    with transaction.atomic():
        vote, created = PageVote.objects.get_or_create(
            page=page, voter=voter_digest(voter, page.pk), defaults={"site": site, "useful": useful}
        )
        if not created and vote.useful != useful:
            vote.useful, vote.reason, vote.comment = useful, "", ""
            vote.save(update_fields=["useful", "reason", "comment", "updated_at"])
    return vote
