"""`make run`: the web server and a Celery worker (with beat) side by side, stopped together.

The worker uses whatever broker the settings name: by default kombu's filesystem transport under
var/celery, so background work runs in the background with no server to install.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the portal with a background worker and scheduler (development and demos)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--no-worker", action="store_true")

    def handle(self, *args, host, port, no_worker, **options):
        python = sys.executable
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
        beat_schedule = settings.BASE_DIR / "var" / "celerybeat-schedule"
        commands = [
            [python, "manage.py", "runserver", f"{host}:{port}", "--noreload"],
        ]
        if not no_worker:
            commands.append(
                [
                    python, "-m", "celery", "-A", "portal", "worker", "--beat",
                    "--schedule", str(beat_schedule), "--pool", "threads",
                    "--concurrency", "2", "--loglevel", "INFO", "--without-mingle",
                    "--without-gossip",
                ]
            )  # fmt: skip
        processes = [subprocess.Popen(cmd, cwd=settings.BASE_DIR, env=env) for cmd in commands]
        self.stdout.write(
            self.style.SUCCESS(f"The portal runs at http://{host}:{port}/ (Ctrl+C stops it).")
        )

        def stop(*_):
            for p in processes:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for p in processes:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
        failed = [p for p in processes if p.returncode not in (0, -signal.SIGTERM, None)]
        if failed:
            sys.exit(1)
