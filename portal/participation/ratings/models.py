"""What citizens say of a page ("was this useful?") and of a service they used.

Nothing here names a person. A page vote keeps a digest of the browser's random voter cookie and
the page (one vote per browser per page, a second vote replaces the first; the digests of one
browser on two pages cannot be matched). A service rating keeps a digest of the dossier (one rating
per dossier and moment), the procedure, the site and the commune: enough for the dashboards, not
enough to find the applicant.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.models import optional_unit


class PageReason(models.TextChoices):
    """Why a page was (not) useful: a short list, as the national portals ask."""

    CLEAR = "clear", _("Clear and easy to understand")
    COMPLETE = "complete", _("Had everything I needed")
    UNCLEAR = "unclear", _("Hard to understand")
    MISSING = "missing", _("Something I needed is missing")
    OUTDATED = "outdated", _("Out of date or wrong")
    OTHER = "other", _("Another reason")


class PageVote(models.Model):
    """One browser's answer to "Thông tin này có hữu ích không?" on one page."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )
    site = models.ForeignKey(
        "wagtailcore.Site",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("site"),
    )
    voter = models.CharField(max_length=64, editable=False)
    useful = models.BooleanField(_("useful"))
    reason = models.CharField(_("reason"), max_length=20, choices=PageReason, blank=True)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("first voted at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("page vote")
        verbose_name_plural = _("page votes")
        constraints = [
            models.UniqueConstraint(fields=["page", "voter"], name="ratings_one_vote_per_page")
        ]

    def __str__(self):
        return f"{self.page_id} {'+' if self.useful else '-'}"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    NEUTRAL = "neutral", _("Neither satisfied nor dissatisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class Stage(models.TextChoices):
    """When the citizen rates: right after filing, or once the result is returned."""

    FILED = "filed", _("After filing")
    RETURNED = "returned", _("After the result was returned")


class ServiceReason(models.TextChoices):
    TIME = "time", _("How long it took")
    STAFF = "staff", _("Attitude of the officers")
    STEPS = "steps", _("Too many steps or papers")
    SYSTEM = "system", _("The online system did not work well")
    INFORMATION = "information", _("Instructions were unclear")
    FEES = "fees", _("Fees and charges")


class ServiceRating(models.Model):
    """A citizen's satisfaction with one procedure they used, at one stage of their dossier."""

    dossier_ref = models.CharField(max_length=64, editable=False)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage)
    service = models.ForeignKey(
        "eservices.ServicePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("procedure"),
    )
    service_title = models.CharField(_("procedure"), max_length=255)
    site = models.ForeignKey(
        "wagtailcore.Site",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("site"),
    )
    commune = optional_unit(_("commune"))
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("service rating")
        verbose_name_plural = _("service ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier_ref", "stage"], name="ratings_one_rating_per_dossier_stage"
            )
        ]

    def __str__(self):
        return f"{self.service_title}: {self.satisfaction}"

    def reason_labels(self) -> list[str]:
        labels = dict(ServiceReason.choices)
        return [str(labels[r]) for r in self.reasons if r in labels]
