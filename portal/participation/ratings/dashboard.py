"""The figures of the ratings dashboard, within what a staff member may see.

Page votes are scoped by site (``core.scope.filter_by_site``: a commune's editors see their
site's pages), service ratings by commune like the dossiers they come from
(``core.scope.filter_by_commune`` with the district desk rule).
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q

from portal.core.scope import filter_by_commune, filter_by_site

from .models import PageReason, PageVote, Satisfaction, ServiceRating, ServiceReason

PAGE_PERMISSION = "ratings.view_pagevote"
SERVICE_PERMISSION = "ratings.view_servicerating"


def can_see_pages(user) -> bool:
    return user.has_perm(PAGE_PERMISSION)


def can_see_services(user) -> bool:
    return user.has_perm(SERVICE_PERMISSION)


def page_votes_for(user):
    return filter_by_site(PageVote.objects.all(), user)


def service_ratings_for(user):
    return filter_by_commune(ServiceRating.objects.all(), user, district_desk=True)


@dataclass
class PageRow:
    page_id: int
    title: str
    url_path: str
    site_name: str
    votes: int
    yes: int
    reasons: list = field(default_factory=list)

    @property
    def no(self) -> int:
        return self.votes - self.yes

    @property
    def share_yes(self) -> int:
        return round(100 * self.yes / self.votes) if self.votes else 0


def page_rows(votes) -> list[PageRow]:
    """Each page voted on: votes, yes, the most given reasons; most useful first."""
    rows = {
        r["page_id"]: PageRow(
            page_id=r["page_id"],
            title=r["page__title"],
            url_path=r["page__url_path"],
            site_name=r["site__site_name"] or "",
            votes=r["votes"],
            yes=r["yes"],
        )
        for r in votes.values("page_id", "page__title", "page__url_path", "site__site_name")
        .annotate(votes=Count("id"), yes=Count("id", filter=Q(useful=True)))
        .order_by()
    }
    labels = dict(PageReason.choices)
    reasons = (
        votes.exclude(reason="")
        .values("page_id", "reason")
        .annotate(n=Count("id"))
        .order_by("page_id", "-n")
    )
    for r in reasons:
        rows[r["page_id"]].reasons.append((str(labels.get(r["reason"], r["reason"])), r["n"]))
    return sorted(rows.values(), key=lambda row: (-row.share_yes, -row.votes, row.title))


@dataclass
class ServiceRow:
    name: str
    ratings: int
    counts: dict
    reasons: list

    def share(self, key) -> int:
        return round(100 * self.counts.get(key, 0) / self.ratings) if self.ratings else 0

    @property
    def satisfied(self) -> int:
        return self.share(Satisfaction.SATISFIED)

    @property
    def neutral(self) -> int:
        return self.share(Satisfaction.NEUTRAL)

    @property
    def dissatisfied(self) -> int:
        return self.share(Satisfaction.DISSATISFIED)


def service_rows(ratings, by: str) -> list[ServiceRow]:
    """Satisfaction grouped by procedure (``by="service"``) or by unit (``by="unit"``)."""
    labels = dict(ServiceReason.choices)
    groups: dict[str, dict] = {}
    fields = ("service_title", "commune__name_with_type", "site__site_name", "satisfaction",
              "reasons")  # fmt: skip
    for r in ratings.values(*fields):
        if by == "service":
            name = r["service_title"]
        else:
            name = r["commune__name_with_type"] or r["site__site_name"] or "–"
        group = groups.setdefault(name, {"n": 0, "counts": Counter(), "reasons": Counter()})
        group["n"] += 1
        group["counts"][r["satisfaction"]] += 1
        group["reasons"].update(r["reasons"] or [])
    rows = [
        ServiceRow(
            name=name,
            ratings=g["n"],
            counts=dict(g["counts"]),
            reasons=[(str(labels.get(k, k)), n) for k, n in g["reasons"].most_common(3)],
        )
        for name, g in groups.items()
    ]
    return sorted(rows, key=lambda row: (row.satisfied, -row.ratings, row.name))
