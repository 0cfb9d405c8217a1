import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


def demo_loaders():
    """Each installed portal app's ``demo`` module, in the order the modules ask for."""
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("portal."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        modules.append(module)
    return sorted(modules, key=lambda m: getattr(m, "ORDER", 100))


class Command(BaseCommand):
    help = "Build the site tree and Vietnamese demo content (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (never in production)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.PORTAL_ALLOW_DEMO_CONTENT and not force:
            raise CommandError(
                "Demo content creates users with a known password: it runs only where "
                "PORTAL_ALLOW_DEMO_CONTENT is on (development, tests), or with --force on a "
                "machine that is not public."
            )
        ctx = {}
        for module in demo_loaders():
            with transaction.atomic():
                module.load(ctx)
            if options["verbosity"] > 1:
                self.stdout.write(f"loaded {module.__name__}")
        from portal.core.demo import DEMO_ADMIN, DEMO_UNIT_SITES, DEMO_USERS
        from portal.core.sites import absolute_url, default_site, site_base_url

        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
        if options["verbosity"]:
            self.stdout.write(
                f"Đăng nhập quản trị / admin login: {absolute_url(default_site(), '/admin/')}  "
                f"{DEMO_ADMIN['username']} / {DEMO_ADMIN['password']}"
            )
            for username, role in DEMO_USERS:
                self.stdout.write(f"  {username} / {DEMO_ADMIN['password']}  ({role})")
            # The commune sites answer at their own host names (*.localhost reaches this machine
            # in a browser; curl needs the Host header).
            self.stdout.write(f"Cổng huyện / district site: {site_base_url(default_site())}/")
            self.stdout.write("Trang của xã / commune sites:")
            for code, username, _name in DEMO_UNIT_SITES:
                result = ctx.get("unit_sites", {}).get(code)
                if result is not None:
                    self.stdout.write(
                        f"  {site_base_url(result.site)}/  {result.home.title}  "
                        f"(biên tập: {username} / {DEMO_ADMIN['password']})"
                    )
