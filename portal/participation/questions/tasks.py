from celery import shared_task


@shared_task(ignore_result=True)
def apply_retention():
    """Remove the senders' data from items closed (or answered) longer ago than the period."""
    from .handling import anonymise_closed_questions

    return anonymise_closed_questions()
