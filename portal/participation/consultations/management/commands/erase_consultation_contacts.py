from django.core.management.base import BaseCommand

from portal.participation.consultations.retention import erase_expired_contacts, retention_days


class Command(BaseCommand):
    help = (
        "Erase the names and contacts of commenters on drafts closed more than "
        "CONSULTATIONS_CONTACT_RETENTION_DAYS ago (idempotent)."
    )

    def handle(self, *args, **options):
        erased = erase_expired_contacts()
        if options["verbosity"]:
            self.stdout.write(
                f"Erased the contact of {erased} comment(s) (retention {retention_days()} days)."
            )
