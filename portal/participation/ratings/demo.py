"""Demo votes and service ratings, so that the dashboard shows something (idempotent)."""

import random

from wagtail.models import Page

from . import votes
from .models import PageReason, PageVote, Satisfaction, ServiceRating, ServiceReason, Stage

ORDER = 60


def load(ctx):
    if PageVote.objects.exists() or ServiceRating.objects.exists():
        return
    rng = random.Random(2021)  # the same figures on every machine
    sites = [ctx.get("site"), *(r.site for r in ctx.get("unit_sites", {}).values())]
    for site in [s for s in sites if s is not None][:3]:
        pages = list(
            Page.objects.live().public().descendant_of(site.root_page).filter(depth__gte=4)[:8]
        )
        for n, page in enumerate(pages):
            share_yes = 0.9 - 0.1 * n  # the first pages are found more useful than the last
            for voter in range(rng.randint(4, 12)):
                useful = rng.random() < share_yes
                reasons = [PageReason.CLEAR, PageReason.COMPLETE] if useful else [
                    PageReason.UNCLEAR, PageReason.MISSING, PageReason.OUTDATED]  # fmt: skip
                PageVote.objects.create(
                    page=page,
                    site=site,
                    voter=votes.voter_digest(f"demo-{voter}", page.pk),
                    useful=useful,
                    reason=rng.choice(reasons) if rng.random() < 0.6 else "",
                )
    from portal.core.models import AdministrativeUnit
    from portal.eservices.models import ServicePage

    communes = list(AdministrativeUnit.objects.communes().served()[:4])
    services = list(ServicePage.objects.live()[:5])
    site = ctx.get("site")
    n = 0
    for service in services:
        for _ in range(rng.randint(3, 9)):
            n += 1
            choice = rng.choices(
                [Satisfaction.SATISFIED, Satisfaction.NEUTRAL, Satisfaction.DISSATISFIED],
                weights=[6, 2, 1],
            )[0]
            reasons = [] if choice == Satisfaction.SATISFIED else rng.sample(
                list(ServiceReason.values), k=2)  # fmt: skip
            ServiceRating.objects.create(
                dossier_ref=votes.dossier_ref(-n),  # no real dossier: demo figures only
                stage=rng.choice(Stage.values),
                service=service,
                service_title=service.title,
                site=site,
                commune=rng.choice(communes) if communes else None,
                satisfaction=choice,
                reasons=reasons,
            )
