"""Admin screens of checkpoints, one module per screen; ``scope`` holds what they share (which
checkpoints and exports a staff member reaches, the permissions a screen asks for)."""

from .checkin_list import checkin_viewset
from .checkpoint_list import checkpoint_viewset
from .importing import import_template, import_view
from .paper_entry import paper_entry
from .printing import (
    paper_download,
    poster_download,
    poster_export,
    poster_export_download,
    poster_export_status,
    poster_exports,
    reissue_code,
)
from .retention import retention_log
from .scan import scan_sync, staff_scan
from .trace import trace

__all__ = [
    "checkin_viewset",
    "checkpoint_viewset",
    "import_template",
    "import_view",
    "paper_download",
    "paper_entry",
    "poster_download",
    "poster_export",
    "poster_export_download",
    "poster_export_status",
    "poster_exports",
    "reissue_code",
    "retention_log",
    "scan_sync",
    "staff_scan",
    "trace",
]
