"""The statistics of a unit's site for a period (số liệu thống kê): checkpoints, check-ins, health
declarations, dossiers and the citizens' satisfaction with them, directives, news, meetings, page
views and the pages' usefulness votes.

A site answers for its unit: a commune's site for that commune; a district's (or province's) site
for every commune under its unit, and for the pages and records of its child sites (the roll-up).
The period is a pair of local dates (Asia/Ho_Chi_Minh), both included.

Several units at once (``statistics_for``): the figures of the units together, each row counted
once (a commune picked with its district is not counted twice, so a total is never more than the
rows), and each unit's own statistics in ``units``, listed side by side in the table
``figures_per_unit``.

Every figure carries ``query``: a short, language-neutral description of the rows it counts, which
the report prints in its appendix so that a reader can check the number against the database.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass
class Figure:
    """One number of the report, with the rows it counts."""

    key: str
    label: str
    value: int | float | None
    query: str
    unit: str = ""

    def __str__(self):
        return self.display

    @property
    def display(self) -> str:
        if self.value is None:
            return "–"
        if isinstance(self.value, float):
            return f"{self.value:.1f}".replace(".", ",")
        return f"{self.value:,}".replace(",", ".")


@dataclass
class Table:
    """Figures broken down by a dimension (per day, per channel, per procedure…)."""

    key: str
    label: str
    columns: list[str]
    rows: list[list]
    query: str

    def total(self, column: int) -> int:
        return sum(row[column] or 0 for row in self.rows)


@dataclass
class DirectiveEntry:
    title: str
    type_name: str
    reference: str
    issue_date: datetime.date
    issuer: str
    summary: str
    own: bool


@dataclass
class UnitStatistics:
    site_id: int
    site_name: str
    unit_name: str
    date_from: datetime.date
    date_to: datetime.date
    commune_names: list[str]
    figures: dict[str, Figure] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    directives: list[DirectiveEntry] = field(default_factory=list)
    # The sites picked (one, or several units at once) and, for several, each one's statistics.
    site_ids: list[int] = field(default_factory=list)
    units: list[UnitStatistics] = field(default_factory=list)

    def add(self, key, label, value, query, unit=""):
        self.figures[key] = Figure(key, str(label), value, query, unit)

    def add_table(self, key, label, columns, rows, query):
        self.tables[key] = Table(key, str(label), [str(c) for c in columns], rows, query)

    @property
    def own_directives(self) -> list[DirectiveEntry]:
        return [d for d in self.directives if d.own]

    def value(self, key):
        return self.figures[key].value


# The scope of a site ------------------------------------------------------------------------


def period_bounds(date_from: datetime.date, date_to: datetime.date):
    """[start, end) as aware datetimes: from local midnight of ``date_from`` to the local
    midnight after ``date_to``."""
    if date_to < date_from:
        raise ValueError("date_to is before date_from")
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=TZ)
    end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, TZ)
    return start, end


def communes_of(unit):
    """The communes a unit answers for: itself (a commune), its communes (a district), or the
    communes of its districts and its own communes (a province)."""
    from portal.core.models import AdministrativeUnit

    if unit is None:
        return AdministrativeUnit.objects.none()
    communes = AdministrativeUnit.objects.communes()
    if unit.level == AdministrativeUnit.Level.COMMUNE:
        return communes.filter(pk=unit.pk)
    if unit.level == AdministrativeUnit.Level.DISTRICT:
        return communes.filter(parent=unit)
    return communes.filter(Q(parent=unit) | Q(parent__parent=unit))


def sites_rolled_up(site) -> list:
    """The site and, recursively, the sites of the units under its unit."""
    from portal.core.sites import child_sites

    found, todo, seen = [site], [site], {site.pk}
    while todo:
        for child in child_sites(todo.pop()):
            if child.pk not in seen:
                seen.add(child.pk)
                found.append(child)
                todo.append(child)
    return found


def _pages_q(sites) -> Q:
    q = Q(pk__in=[])
    for site in sites:
        q |= Q(path__startswith=site.root_page.path)
    return q


def _ids(ids) -> str:
    ids = sorted(ids)
    return "{" + ", ".join(str(i) for i in ids[:20]) + (", …" if len(ids) > 20 else "") + "}"


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when finished the same day),
    counted the way due dates are (portal.eservices.workdays)."""
    from portal.eservices.workdays import is_working_day

    days, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            days += 1
    return days


# The statistics -----------------------------------------------------------------------------


SECTIONS = 8


def unit_statistics(site, date_from, date_to, progress=None) -> UnitStatistics:
    """The statistics of one site; ``progress(done, total)`` is called after each of the
    SECTIONS parts."""
    return statistics_for([site], date_from, date_to, progress)


def statistics_for(sites, date_from, date_to, progress=None) -> UnitStatistics:
    """The statistics of one or several sites. For several, the figures of the units together
    (each row once) and, in ``units``, each unit's own; ``progress(done, total)`` follows every
    part of every one of them."""
    sites = list({site.pk: site for site in sites}.values())
    if not sites:
        raise ValueError("no site")
    if len(sites) == 1:
        return _collect(sites, date_from, date_to, progress)
    total_steps = SECTIONS * (len(sites) + 1)

    def step(offset):
        if progress is None:
            return None
        return lambda done, _total: progress(offset + done, total_steps)

    parts = [
        _collect([site], date_from, date_to, step(n * SECTIONS)) for n, site in enumerate(sites)
    ]
    together = _collect(sites, date_from, date_to, step(len(sites) * SECTIONS))
    together.units = parts
    _per_unit_table(together)
    return together


def _per_unit_table(stats):
    def cell(figure):
        return "–" if figure is None or figure.value is None else figure.value

    stats.add_table(
        "figures_per_unit",
        _("Figures per unit"),
        [_("Figure"), *(part.unit_name for part in stats.units), _("Together")],
        [
            [figure.label, *(cell(part.figures.get(key)) for part in stats.units), cell(figure)]
            for key, figure in stats.figures.items()
        ],
        "each unit's column: that unit's own statistics (the queries above with its site and "
        "communes only); Together: the queries above, over the units picked, each row counted "
        "once (a unit picked along with the unit above it is not counted twice)",
    )


def _collect(sites, date_from, date_to, progress=None) -> UnitStatistics:
    from portal.core.models import AdministrativeUnit
    from portal.core.sites import site_name, unit_for_site

    units = [unit_for_site(site) for site in sites]
    commune_ids = set()
    for unit in units:
        commune_ids.update(communes_of(unit).values_list("pk", flat=True))
    communes = list(AdministrativeUnit.objects.filter(pk__in=commune_ids).order_by("code"))
    rolled = {}
    for site in sites:
        for found in sites_rolled_up(site):
            rolled.setdefault(found.pk, found)
    rolled = list(rolled.values())
    stats = UnitStatistics(
        site_id=sites[0].pk,
        site_name=", ".join(site_name(site) for site in sites),
        unit_name=", ".join(
            unit.display_name if unit else site_name(site)
            for site, unit in zip(sites, units, strict=True)
        ),
        date_from=date_from,
        date_to=date_to,
        commune_names=[c.display_name for c in communes],
        site_ids=[site.pk for site in sites],
    )
    start, end = period_bounds(date_from, date_to)
    ctx = {
        "units": [unit for unit in units if unit is not None],
        "communes": [c.pk for c in communes],
        "sites": rolled,
        "site_ids": [s.pk for s in rolled],
        "start": start,
        "end": end,
        "period": f"[{date_from.isoformat()} 00:00, {(date_to + datetime.timedelta(days=1))}"
        " 00:00) Asia/Ho_Chi_Minh",
    }
    parts = (
        _checkpoints,
        _posters,
        _checkins,
        _declarations,
        _dossiers,
        _satisfaction,
        _content,
        _page_views,
    )
    for done, part in enumerate(parts, start=1):
        part(stats, ctx)
        if progress is not None:
            progress(done, SECTIONS)
    return stats


def _days(stats):
    day, days = stats.date_from, []
    while day <= stats.date_to:
        days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _checkpoints(stats, ctx):
    from portal.checkpoints.models import Checkpoint, RevokedCode

    communes = _ids(ctx["communes"])
    registered = Checkpoint.objects.filter(commune__in=ctx["communes"], created_at__lt=ctx["end"])
    stats.add(
        "checkpoints_registered",
        _("Checkpoints registered (by the end of the period)"),
        registered.count(),
        f"Checkpoint: commune_id ∈ {communes}, created_at < {ctx['end'].isoformat()}",
    )
    open_ones = registered.filter(is_active=True).annotate(
        last=Max(
            "checkins__checked_in_at",
            filter=Q(
                checkins__checked_in_at__gte=ctx["start"], checkins__checked_in_at__lt=ctx["end"]
            ),
        )
    )
    active = open_ones.filter(last__isnull=False).count()
    stats.add(
        "checkpoints_active",
        _("Checkpoints with check-ins in the period"),
        active,
        "the checkpoints above with is_active = true and at least one CheckIn with "
        f"checked_in_at ∈ {ctx['period']}",
    )
    stats.add(
        "checkpoints_dormant",
        _("Dormant checkpoints (open, no check-in in the period)"),
        open_ones.filter(last__isnull=True).count(),
        "the checkpoints above with is_active = true and no CheckIn with "
        f"checked_in_at ∈ {ctx['period']}",
    )
    stats.add(
        "checkpoints_closed",
        _("Checkpoints closed (refusing check-ins)"),
        registered.filter(is_active=False).count(),
        "the checkpoints above with is_active = false",
    )
    stats.add(
        "codes_revoked",
        _("Poster codes revoked and reissued"),
        RevokedCode.objects.filter(
            checkpoint__commune__in=ctx["communes"],
            revoked_at__gte=ctx["start"],
            revoked_at__lt=ctx["end"],
        ).count(),
        f"RevokedCode: checkpoint.commune_id ∈ {communes}, revoked_at ∈ {ctx['period']}",
    )


def _posters(stats, ctx):
    from django.db.models import Sum

    from portal.checkpoints.models import PosterExport

    exports = PosterExport.objects.filter(
        Q(commune__in=ctx["communes"]) | Q(commune__isnull=True),
        status=PosterExport.Status.DONE,
        created_at__gte=ctx["start"],
        created_at__lt=ctx["end"],
    )
    where = (
        f"PosterExport: status = 'done', commune_id ∈ {_ids(ctx['communes'])} or NULL (every "
        f"commune of the requester), created_at ∈ {ctx['period']}"
    )
    stats.add(
        "posters_exported",
        _("Posters exported in bulk"),
        exports.aggregate(n=Sum("total"))["n"] or 0,
        f"sum of total of {where}",
    )


def _checkins(stats, ctx):
    from portal.checkpoints.models import CheckIn, Checkpoint

    checkins = CheckIn.objects.filter(
        checkpoint__commune__in=ctx["communes"],
        checked_in_at__gte=ctx["start"],
        checked_in_at__lt=ctx["end"],
    )
    where = (
        f"CheckIn: checkpoint.commune_id ∈ {_ids(ctx['communes'])}, checked_in_at ∈ {ctx['period']}"
    )
    by_source = Counter(dict(checkins.values_list("source").annotate(n=Count("id")).order_by()))
    total = sum(by_source.values())
    stats.add("checkins_total", _("Check-ins"), total, where)
    labels = {
        CheckIn.Source.QR: _("Check-ins by QR code"),
        CheckIn.Source.PAPER: _("Check-ins from paper records"),
        CheckIn.Source.STAFF_SCAN: _("Check-ins entered by staff (personal QR scanned)"),
    }
    for source, label in labels.items():
        stats.add(
            f"checkins_{source}", label, by_source.get(source, 0), f"{where}, source = '{source}'"
        )
    declared = checkins.filter(declaration_id__isnull=False).count()
    stats.add(
        "checkins_with_declaration",
        _("Check-ins linked to an electronic health declaration"),
        declared,
        f"{where}, declaration_id IS NOT NULL",
    )
    stats.add(
        "checkins_declared_share",
        _("Share of check-ins with an electronic health declaration"),
        round(declared * 100 / total, 1) if total else None,
        "checkins_with_declaration × 100 / checkins_total",
        "%",
    )
    per_day = defaultdict(Counter)
    for day, source, n in (
        checkins.annotate(day=TruncDate("checked_in_at", tzinfo=TZ))
        .values_list("day", "source")
        .annotate(n=Count("id"))
        .order_by()
    ):
        per_day[day][source] += n
    stats.add_table(
        "checkins_per_day",
        _("Check-ins per day and channel"),
        [_("Day"), _("QR code"), _("Paper"), _("Staff entry"), _("Total")],
        [
            [
                day,
                per_day[day][CheckIn.Source.QR],
                per_day[day][CheckIn.Source.PAPER],
                per_day[day][CheckIn.Source.STAFF_SCAN],
                sum(per_day[day].values()),
            ]
            for day in _days(stats)
        ],
        f"{where}; grouped by local date of checked_in_at and source",
    )
    kinds = dict(Checkpoint.Kind.choices)
    per_kind = checkins.values_list("checkpoint__kind").annotate(n=Count("id")).order_by()
    stats.add_table(
        "checkins_per_kind",
        _("Check-ins per type of checkpoint"),
        [_("Type of checkpoint"), _("Check-ins")],
        sorted(([str(kinds.get(k, k)), n] for k, n in per_kind), key=lambda r: -r[1]),
        f"{where}; grouped by checkpoint.kind",
    )


def _declarations(stats, ctx):
    from portal.checkpoints.models import CheckIn
    from portal.eservices.models import HealthDeclaration

    place = Q(commune__in=ctx["communes"])
    place_text = f"commune_id ∈ {_ids(ctx['communes'])}"
    above = [unit for unit in ctx["units"] if unit.level != "commune"]
    for unit in above:
        place |= Q(commune__isnull=True, district=unit) | Q(
            commune__isnull=True, district__isnull=True, province=unit
        )
    if len(above) == 1:
        place_text += f" (or, without a commune, district_id/province_id = {above[0].pk})"
    elif above:
        ids = _ids(unit.pk for unit in above)
        place_text += f" (or, without a commune, district_id/province_id ∈ {ids})"
    electronic = HealthDeclaration.objects.filter(
        place, created_at__gte=ctx["start"], created_at__lt=ctx["end"]
    )
    e_where = f"HealthDeclaration: {place_text}, created_at ∈ {ctx['period']}"
    paper = CheckIn.objects.filter(
        checkpoint__commune__in=ctx["communes"],
        source=CheckIn.Source.PAPER,
        checked_in_at__gte=ctx["start"],
        checked_in_at__lt=ctx["end"],
    )
    p_where = (
        f"CheckIn: checkpoint.commune_id ∈ {_ids(ctx['communes'])}, source = 'paper', "
        f"checked_in_at ∈ {ctx['period']}"
    )
    e_days = dict(
        electronic.annotate(day=TruncDate("created_at", tzinfo=TZ))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    p_days = dict(
        paper.annotate(day=TruncDate("checked_in_at", tzinfo=TZ))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    stats.add(
        "declarations_electronic",
        _("Electronic health declarations"),
        sum(e_days.values()),
        e_where,
    )
    stats.add(
        "declarations_paper",
        _("Health declarations on paper, entered by staff"),
        sum(p_days.values()),
        p_where,
    )
    stats.add_table(
        "declarations_per_day",
        _("Health declarations per day"),
        [_("Day"), _("Electronic"), _("On paper"), _("Total")],
        [
            [day, e_days.get(day, 0), p_days.get(day, 0), e_days.get(day, 0) + p_days.get(day, 0)]
            for day in _days(stats)
        ],
        f"{e_where}; {p_where}; grouped by local date",
    )


def _dossiers(stats, ctx):
    from portal.eservices.models import Dossier, Status, SupplementRequest

    sites = _ids(ctx["site_ids"])
    received = Dossier.objects.filter(
        site__in=ctx["site_ids"], submitted_at__gte=ctx["start"], submitted_at__lt=ctx["end"]
    )
    where = f"Dossier: site_id ∈ {sites}, submitted_at ∈ {ctx['period']}"
    stats.add("dossiers_received", _("Dossiers received"), received.count(), where)
    stats.add(
        "dossiers_online",
        _("Dossiers received online"),
        received.count(),
        f"{where} (every Dossier is filed online; desk-only dossiers are not recorded)",
    )
    levels = {"full": _("fully online"), "partial": _("partially online"), "info": _("information")}
    per_procedure = (
        received.values_list("service_title", "service__level")
        .annotate(n=Count("id"))
        .order_by("-n", "service_title")
    )
    stats.add_table(
        "dossiers_per_procedure",
        _("Dossiers received per procedure"),
        [_("Procedure"), _("Online level"), _("Channel"), _("Dossiers")],
        [
            [title, str(levels.get(level, "–")), str(_("online")), n]
            for title, level, n in per_procedure
        ],
        f"{where}; grouped by service_title and service.level",
    )
    done = Dossier.objects.filter(
        site__in=ctx["site_ids"],
        status__in=[Status.DONE, Status.RETURNED],
        finished_at__gte=ctx["start"],
        finished_at__lt=ctx["end"],
    )
    d_where = (
        f"Dossier: site_id ∈ {sites}, status ∈ {{done, returned}}, finished_at ∈ {ctx['period']}"
    )
    on_time = late = 0
    durations = []
    for submitted, finished, due in done.values_list("submitted_at", "finished_at", "due_date"):
        finished_day = finished.astimezone(TZ).date()
        if due is None or finished_day <= due:
            on_time += 1
        else:
            late += 1
        durations.append(working_days_between(submitted.astimezone(TZ).date(), finished_day))
    stats.add("dossiers_processed", _("Dossiers processed"), on_time + late, d_where)
    stats.add(
        "dossiers_on_time",
        _("Dossiers processed on time"),
        on_time,
        f"{d_where}, local date of finished_at ≤ due_date",
    )
    stats.add(
        "dossiers_late",
        _("Dossiers processed late"),
        late,
        f"{d_where}, local date of finished_at > due_date",
    )
    stats.add(
        "dossiers_supplement",
        _("Dossiers returned for supplement"),
        SupplementRequest.objects.filter(
            dossier__site__in=ctx["site_ids"],
            created_at__gte=ctx["start"],
            created_at__lt=ctx["end"],
        )
        .values("dossier")
        .distinct()
        .count(),
        f"distinct dossier_id of SupplementRequest: dossier.site_id ∈ {sites}, "
        f"created_at ∈ {ctx['period']}",
    )
    stats.add(
        "dossiers_average_days",
        _("Average processing time"),
        round(sum(durations) / len(durations), 1) if durations else None,
        f"{d_where}; mean of working days after the local date of submitted_at up to that of "
        "finished_at (weekends and public holidays skipped)",
        str(_("working days")),
    )


def _satisfaction(stats, ctx):
    """The citizens' satisfaction with the services (portal.participation.ratings): one rating
    per dossier and stage (after filing, after the result), its answer as last given."""
    from portal.participation.ratings.models import Satisfaction, ServiceRating

    ratings = ServiceRating.objects.filter(
        site__in=ctx["site_ids"], created_at__gte=ctx["start"], created_at__lt=ctx["end"]
    )
    where = (
        f"ServiceRating: site_id ∈ {_ids(ctx['site_ids'])}, created_at ∈ {ctx['period']} "
        "(one row per dossier and stage; satisfaction as last given)"
    )
    answers = (Satisfaction.SATISFIED, Satisfaction.NEUTRAL, Satisfaction.DISSATISFIED)
    counts = Counter(dict(ratings.values_list("satisfaction").annotate(n=Count("id")).order_by()))
    total = sum(counts[answer] for answer in answers)
    stats.add("service_ratings", _("Ratings of the services"), total, where)
    labels = {
        Satisfaction.SATISFIED: _("Ratings: satisfied"),
        Satisfaction.NEUTRAL: _("Ratings: neither satisfied nor dissatisfied"),
        Satisfaction.DISSATISFIED: _("Ratings: dissatisfied"),
    }
    for answer in answers:
        stats.add(
            f"service_ratings_{answer}",
            labels[answer],
            counts[answer],
            f"{where}, satisfaction = '{answer}'",
        )
    stats.add(
        "service_satisfied_share",
        _("Share of satisfied ratings"),
        round(counts[Satisfaction.SATISFIED] * 100 / total, 1) if total else None,
        "service_ratings_satisfied × 100 / service_ratings",
        "%",
    )
    columns = [_("Satisfied"), _("Neutral"), _("Dissatisfied"), _("Number of ratings")]

    def rows(grouped, name):
        found = defaultdict(Counter)
        for key, answer, n in grouped:
            found[key][answer] += n
        made = [
            [name(key), *(found[key][answer] for answer in answers), sum(found[key].values())]
            for key in found
        ]
        return sorted(made, key=lambda row: (-row[-1], str(row[0])))

    stats.add_table(
        "satisfaction_per_procedure",
        _("Satisfaction per procedure"),
        [_("Procedure"), *columns],
        rows(
            ratings.values_list("service_title", "satisfaction").annotate(n=Count("id")).order_by(),
            str,
        ),
        f"{where}; grouped by service_title and satisfaction",
    )
    names = {site.pk: site.site_name or site.hostname for site in ctx["sites"]}
    stats.add_table(
        "satisfaction_per_unit",
        _("Satisfaction per unit"),
        [_("Unit"), *columns],
        rows(
            ratings.values_list("site_id", "satisfaction").annotate(n=Count("id")).order_by(),
            lambda pk: names.get(pk, str(pk)),
        ),
        f"{where}; grouped by site_id (the unit's site) and satisfaction",
    )


def _page_votes(stats, ctx):
    """Answers to "Thông tin này có hữu ích không?" under the pages (portal.participation.ratings):
    one per browser and page, as last given."""
    from portal.participation.ratings.models import PageVote

    votes = PageVote.objects.filter(
        site__in=ctx["site_ids"], created_at__gte=ctx["start"], created_at__lt=ctx["end"]
    )
    where = (
        f"PageVote: site_id ∈ {_ids(ctx['site_ids'])}, created_at ∈ {ctx['period']} "
        "(one row per browser and page; useful as last given)"
    )
    counts = dict(votes.values_list("useful").annotate(n=Count("id")).order_by())
    useful, not_useful = counts.get(True, 0), counts.get(False, 0)
    total = useful + not_useful
    stats.add("page_votes", _("Votes on the usefulness of pages"), total, where)
    stats.add(
        "page_votes_useful", _("Votes: the page was useful"), useful, f"{where}, useful = true"
    )
    stats.add(
        "page_votes_not_useful",
        _("Votes: the page was not useful"),
        not_useful,
        f"{where}, useful = false",
    )
    stats.add(
        "page_useful_share",
        _("Share of votes finding the page useful"),
        round(useful * 100 / total, 1) if total else None,
        "page_votes_useful × 100 / page_votes",
        "%",
    )


def _content(stats, ctx):
    from portal.core.text import fold
    from portal.news.models import DirectivePage, NewsPage
    from portal.news.models.schedule import Meeting

    sites = ctx["sites"]
    roots = "{" + ", ".join(s.root_page.path for s in sites) + "}"
    directives = (
        DirectivePage.objects.live()
        .filter(_pages_q(sites))
        .filter(issue_date__gte=stats.date_from, issue_date__lte=stats.date_to)
        .select_related("issuer")
        .order_by("issue_date", "number")
    )
    d_where = (
        f"DirectivePage: live, path under {roots}, issue_date ∈ "
        f"[{stats.date_from}, {stats.date_to}]"
    )
    own_names = [fold(unit.name_with_type).lower() for unit in ctx["units"]]
    types = dict(DirectivePage._meta.get_field("doc_type").choices)
    seen = set()
    for page in directives:
        if page.reference_key and page.reference_key in seen:
            continue  # the same document on the district's and a commune's register
        seen.add(page.reference_key)
        stats.directives.append(
            DirectiveEntry(
                title=page.title,
                type_name=str(types.get(page.doc_type, page.doc_type)),
                reference=page.reference,
                issue_date=page.issue_date,
                issuer=page.issuer.name,
                summary=page.summary,
                own=any(name in fold(page.issuer.name).lower() for name in own_names),
            )
        )
    stats.add(
        "directives_published", _("Directives in the register"), len(stats.directives), d_where
    )
    stats.add(
        "directives_own",
        _("Directives issued by the unit"),
        len(stats.own_directives),
        f"{d_where}, issuer.name contains "
        + (" or ".join(f"'{unit.name_with_type}'" for unit in ctx["units"]) or "''"),
    )
    news = (
        NewsPage.objects.live()
        .filter(_pages_q(sites))
        .filter(date__gte=stats.date_from, date__lte=stats.date_to)
    )
    n_where = f"NewsPage: live, path under {roots}, date ∈ [{stats.date_from}, {stats.date_to}]"
    stats.add("news_published", _("Articles published"), news.count(), n_where)
    categories = dict(NewsPage._meta.get_field("category").choices)
    for category, label in categories.items():
        stats.add(
            f"news_{category.replace('-', '_')}",
            label,
            news.filter(category=category).count(),
            f"{n_where}, category = '{category}'",
        )
    stats.add(
        "radio_bulletins",
        _("Radio bulletins published"),
        news.filter(audio__isnull=False).count(),
        f"{n_where}, audio IS NOT NULL",
    )
    _alerts(stats, ctx, roots)
    meetings = Meeting.objects.filter(
        site__in=ctx["site_ids"], start__gte=ctx["start"], start__lt=ctx["end"], cancelled=False
    )
    m_where = (
        f"Meeting: site_id ∈ {_ids(ctx['site_ids'])}, cancelled = false, start ∈ {ctx['period']}"
    )
    stats.add("meetings", _("Meetings on the work schedule"), meetings.count(), m_where)
    stats.add(
        "meetings_online",
        _("Meetings held online"),
        meetings.filter(is_online=True).count(),
        f"{m_where}, is_online = true",
    )
    _page_votes(stats, ctx)


def _alerts(stats, ctx, roots):
    """Alerts sent in the period (portal.notifications.alerts), and their messages delivered."""
    from django.contrib.contenttypes.models import ContentType

    from portal.notifications.alerts.models import AlertPage
    from portal.notifications.models import Notification, Status

    alerts = AlertPage.objects.filter(_pages_q(ctx["sites"])).filter(
        sent_at__gte=ctx["start"], sent_at__lt=ctx["end"]
    )
    where = f"AlertPage: path under {roots}, sent_at ∈ {ctx['period']}"
    stats.add("alerts_sent", _("Alerts sent"), alerts.count(), where)
    delivered = Notification.objects.filter(
        about_type=ContentType.objects.get_for_model(AlertPage),
        about_id__in=[str(pk) for pk in alerts.values_list("pk", flat=True)],
        status=Status.SENT,
    )
    stats.add(
        "alert_messages_sent",
        _("Alert messages delivered"),
        delivered.count(),
        "Notification: about one of those alerts, status = 'sent'",
    )


TOP_PAGES = 10


def _page_views(stats, ctx):
    """Page views counted on the server (portal.reports.counting), as flushed to the database."""
    from django.db.models import Sum
    from wagtail.models import Page

    from .models import PageViewCount

    sites = ctx["sites"]
    views = PageViewCount.objects.filter(
        site__in=ctx["site_ids"], day__gte=stats.date_from, day__lte=stats.date_to
    )
    where = (
        f"PageViewCount: site_id ∈ {_ids(ctx['site_ids'])}, day ∈ "
        f"[{stats.date_from}, {stats.date_to}] (flushed from the cache every 5 minutes)"
    )
    per_page = list(
        views.values_list("site_id", "page_id", "page__path", "page__title")
        .annotate(n=Sum("views"))
        .order_by("-n", "page__path")
    )
    stats.add(
        "page_views", _("Page views"), sum(row[-1] for row in per_page), f"sum of views of {where}"
    )

    # A section is the page right under the home page of the page's site (the home page is its
    # own section).
    roots = {s.pk: s.root_page for s in sites}
    sections = Counter()
    for site_id, _page_id, path, _title, n in per_page:
        root = roots[site_id]
        sections[(site_id, path[: len(root.path) + Page.steplen])] += n
    only = stats.site_ids[0] if len(stats.site_ids) == 1 else None
    titles = dict(
        Page.objects.filter(path__in=[path for _site, path in sections]).values_list(
            "path", "title"
        )
    )
    stats.add_table(
        "page_views_per_section",
        _("Page views per section"),
        [_("Site section"), _("Number of views")],
        [
            [
                # A section of a site rolled up is named with that site's home page.
                (f"{roots[site_id].title} › " if site_id != only else "") + titles.get(path, path),
                n,
            ]
            for (site_id, path), n in sorted(sections.items(), key=lambda i: (-i[1], i[0][1]))
        ],
        f"{where}; grouped by the page of page.path[:len(site.root_page.path) + 4] (the page "
        "under the site's home page; the home page is its own section)",
    )
    stats.add_table(
        "page_views_top_pages",
        _("Most viewed pages"),
        [_("Page"), _("Number of views")],
        [[title, n] for _site, _page, _path, title, n in per_page[:TOP_PAGES]],
        f"{where}; grouped by page_id, the {TOP_PAGES} with the most views",
    )
