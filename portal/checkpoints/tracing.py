"""Tracing queries (truy vết): visitors of a place, places of a person, contacts of a case.

Every query is bounded from below by ``MAX_STAY`` so that it reads a range of an index on
``(checkpoint, checked_in_at)`` or ``(phone, checked_in_at)`` instead of every older check-in: the
time of a query depends on how many rows it returns, not on how many check-ins are stored.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from portal.core.scope import filter_by_commune

from .models import MAX_STAY, CheckIn, auto_checkout_after


def _base(user=None):
    qs = CheckIn.objects.select_related("checkpoint", "checkpoint__commune", "sub_location")
    return filter_by_commune(qs, user, "checkpoint__commune") if user is not None else qs


def _overlaps(start: datetime, end: datetime) -> Q:
    """Stays that overlap [start, end): they began before ``end`` and ended after ``start``."""
    auto = auto_checkout_after()
    return Q(checked_in_at__lt=end, checked_in_at__gte=start - MAX_STAY) & (
        Q(checked_out_at__gt=start) | Q(checked_out_at__isnull=True, checked_in_at__gt=start - auto)
    )


def visitors(checkpoint, start, end, user=None):
    """Everyone whose stay at ``checkpoint`` overlapped [start, end)."""
    return list(
        _base(user)
        .filter(Q(checkpoint=checkpoint) & _overlaps(start, end))
        .order_by("checked_in_at")
    )


def _person_q(phone="", id_number="") -> Q:
    q = Q(pk__in=[])
    if phone:
        q |= Q(phone=phone)
    if id_number:
        q |= Q(id_number=id_number)
    return q


def person_checkins(phone="", id_number="", since=None, user=None):
    """All check-ins of a person, by phone or ID number, newest last."""
    qs = _base(user).filter(_person_q(phone, id_number))
    if since is not None:
        qs = qs.filter(checked_in_at__gte=since)
    return list(qs.order_by("checked_in_at"))


@dataclass
class Contact:
    depth: int
    stay: CheckIn  # the contact's stay
    source: CheckIn  # the stay of the case (depth 1) or of the F1 (depth 2) it overlapped
    overlap_minutes: int
    via: str = ""


@dataclass
class ContactResult:
    case_stays: list
    contacts: list = field(default_factory=list)

    @property
    def people(self):
        return {c.stay.person_key for c in self.contacts}

    def people_at(self, depth):
        return {c.stay.person_key for c in self.contacts if c.depth == depth}

    @property
    def f1_count(self):
        return len(self.people_at(1))

    @property
    def f2_count(self):
        return len(self.people_at(2))


def _identity(stay):
    return {k for k in (stay.phone, stay.id_number) if k}


def _overlapping(sources, buffer, exclude_ids: set, user, now):
    """Stays overlapping any of ``sources`` (each widened by ``buffer``) at the same checkpoint."""
    found = []
    for chunk_start in range(0, len(sources), 40):
        chunk = sources[chunk_start : chunk_start + 40]
        q = Q(pk__in=[])
        for s in chunk:
            q |= Q(checkpoint_id=s.checkpoint_id) & _overlaps(
                s.checked_in_at - buffer, s.effective_end(now) + buffer
            )
        for stay in _base(user).filter(q):
            if _identity(stay) & exclude_ids:
                continue
            for s in chunk:
                if s.checkpoint_id != stay.checkpoint_id or s.pk == stay.pk:
                    continue
                start = max(stay.checked_in_at, s.checked_in_at - buffer)
                end = min(stay.effective_end(now), s.effective_end(now) + buffer)
                if end > start:
                    found.append((stay, s, int((end - start).total_seconds() // 60)))
    return found


def contacts(phone="", id_number="", buffer_minutes=30, depth=2, days=14, user=None, now=None):
    """People whose stay overlapped the case's (F1) and, at depth 2, the F1s' later stays (F2).

    An F1 counts as exposed from the start of the first overlapping stay; only their stays from then
    on are used to find F2s.
    """
    now = now or timezone.now()
    buffer = timedelta(minutes=buffer_minutes)
    since = now - timedelta(days=days)
    case_stays = person_checkins(phone, id_number, since=since, user=user)
    result = ContactResult(case_stays=case_stays)
    case_ids = set()
    for s in case_stays:
        case_ids |= _identity(s)
    if not case_stays:
        return result

    seen = set()
    exposed_since = {}
    f1_phones, f1_ids = set(), set()
    for stay, source, minutes in _overlapping(case_stays, buffer, case_ids, user, now):
        if (stay.pk, source.pk) in seen:
            continue
        seen.add((stay.pk, source.pk))
        result.contacts.append(Contact(1, stay, source, minutes, via=source.full_name))
        if stay.phone:
            f1_phones.add(stay.phone)
        if stay.id_number:
            f1_ids.add(stay.id_number)
        key = stay.person_key
        exposed_since[key] = min(exposed_since.get(key, stay.checked_in_at), stay.checked_in_at)

    if depth >= 2 and exposed_since:
        earliest = min(exposed_since.values())
        q = Q(phone__in=f1_phones) | Q(id_number__in=f1_ids)
        f1_stays = [
            s
            for s in _base(user).filter(q, checked_in_at__gte=earliest).order_by("checked_in_at")
            if s.checked_in_at >= exposed_since.get(s.person_key, now)
        ]
        f1_ids_all = case_ids | f1_phones | f1_ids
        for stay, source, minutes in _overlapping(f1_stays, buffer, f1_ids_all, user, now):
            if (stay.pk, source.pk) in seen:
                continue
            seen.add((stay.pk, source.pk))
            result.contacts.append(Contact(2, stay, source, minutes, via=source.full_name))
    result.contacts.sort(key=lambda c: (c.depth, c.stay.checked_in_at))
    return result
