"""Recording a stay at a checkpoint: the one place a check-in row is written.

The public check-in page, staff's paper entry and staff's scan of a personal QR all call
``record``. It folds the name for search, stamps consent, and, for the public page, closes the
visitor's previous open stay in the same transaction.
"""

from django.db import IntegrityError, connection, transaction
from django.db.models import Subquery
from django.utils import timezone

from .models import CheckIn, Checkpoint


def record(
    *,
    full_name,
    phone="",
    source,
    checkpoint=None,
    code=None,
    closes_token="",
    now=None,
    **fields,
):
    """Write one stay, committed before the caller answers; the new ``CheckIn``.

    ``checkpoint`` names the place; or ``code`` does, for the public page: the row then finds its
    open checkpoint by a subquery, in the same statement, and None is returned when no open
    checkpoint has that code (nothing is written). ``closes_token`` is the visitor's previous
    open stay, checked out now if this one is written. ``fields`` are CheckIn's other columns
    (id_number, checked_in_at, checked_out_at, answers, entered_by, paper_row...).
    """
    now = now or timezone.now()
    if checkpoint is None:
        open_checkpoint = Checkpoint.objects.filter(code=code, is_active=True).order_by()
        target = {"checkpoint_id": Subquery(open_checkpoint.values("pk")[:1])}
    else:
        target = {"checkpoint": checkpoint}
    fields.setdefault("checked_in_at", now)
    fields.setdefault("consent_at", now)
    stay = CheckIn(**target, full_name=full_name, phone=phone or "", source=source, **fields)
    try:
        if not closes_token and not connection.in_atomic_block:
            stay.save(force_insert=True)  # one statement, committed on its own
            return stay
        # A savepoint inside a caller's transaction: a refused row leaves it usable.
        with transaction.atomic():
            if closes_token:
                # Checking in somewhere closes the visitor's previous stay, if they forgot to
                # check out (and does not, if this check-in is refused).
                CheckIn.objects.filter(token=closes_token, checked_out_at__isnull=True).update(
                    checked_out_at=now
                )
            stay.save(force_insert=True)
    except IntegrityError:
        if checkpoint is not None:
            raise
        return None
    if checkpoint is not None:
        stay.checkpoint = checkpoint
    return stay
