from django.core.management.base import BaseCommand

from portal.core.roles import setup_roles


class Command(BaseCommand):
    help = "Create or update the staff roles (groups) and their permissions (idempotent)."

    def handle(self, *args, **options):
        missing = setup_roles()
        if options["verbosity"] > 1:
            for role, names in missing.items():
                self.stdout.write(f"{role}: not defined yet: {', '.join(names)}")
        if options["verbosity"]:
            self.stdout.write("Roles are up to date.")
