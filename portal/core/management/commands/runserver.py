"""Django's development server (with static files, as `django.contrib.staticfiles` serves them),
answering 404 to a static path that climbs out of the static folders.

Django's own static handler turns only ``Http404`` into a response: ``/static/%2e%2e/%2e%2e/…``
makes the finders raise ``SuspiciousFileOperation``, which reached the server as a 500 with a
traceback. Nothing is served either way; the answer is now the same as for any missing file.
"""

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand
from django.core.exceptions import SuspiciousOperation
from django.http import Http404


class StaticFilesOrNotFoundHandler(StaticFilesHandler):
    def serve(self, request):
        try:
            return super().serve(request)
        except SuspiciousOperation as exc:
            raise Http404("No such static file.") from exc


class Command(RunserverCommand):
    def get_handler(self, *args, **options):
        handler = super().get_handler(*args, **options)
        if isinstance(handler, StaticFilesHandler):
            return StaticFilesOrNotFoundHandler(handler.application)
        return handler
