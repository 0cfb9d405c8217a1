from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "portal.participation.questions"
    label = "questions"
    verbose_name = _("Questions and feedback")

    def ready(self):
        from portal.core import cache

        from .models import SHOWN_FIELDS, Question

        # The published answers (their list and pages, cached) change when a question shown
        # there is saved or deleted, or one stops being shown; a new question does not purge.
        cache.purge_when_shown(Question, lambda q: q.is_shown, fields=SHOWN_FIELDS)
