from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckpointsConfig(AppConfig):
    name = "portal.checkpoints"
    label = "checkpoints"
    verbose_name = _("Checkpoints")

    def ready(self):
        self.register_audit_labels()

    def register_audit_labels(self):
        """What the audit log entries of check-ins, paper entry and tracing read as."""
        from portal.core import audit

        audit.register_actions(
            {
                "checkpoints": _("Checkpoints"),
                "checkpoints.checkins": _("Check-ins"),
                "checkpoints.checkins.list": _("Check-in list viewed"),
                "checkpoints.checkins.view": _("Check-in viewed"),
                "checkpoints.paper_entry": _("Paper declarations entered"),
                "checkpoints.trace": _("Tracing"),
                "checkpoints.trace.visitors": _("Tracing: visitors of a checkpoint"),
                "checkpoints.trace.person": _("Tracing: places a person visited"),
                "checkpoints.trace.contacts": _("Tracing: people who overlapped with a case"),
            }
        )
        audit.register_parameters(
            {
                "checkpoint": _("Checkpoint"),
                "source": _("Source"),
                "day": _("Day"),
                "start": _("From"),
                "end": _("To"),
                "buffer": _("Buffer (minutes)"),
            }
        )
