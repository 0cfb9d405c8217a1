"""Private files: dossier attachments, exports. Stored outside MEDIA_ROOT with no public URL.

The storage is ``STORAGES["private"]``: a folder (PRIVATE_MEDIA_ROOT) by default, a private
prefix of the object-storage bucket when S3_BUCKET is set (portal.core.object_storage).
"""

import filetype
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.utils.module_loading import import_string


class PrivateStorage(FileSystemStorage):
    def __init__(self, **kwargs):
        kwargs.setdefault("location", settings.PRIVATE_MEDIA_ROOT)
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a view.")


class _LazyPrivateStorage(LazyObject):
    def _setup(self):
        conf = settings.STORAGES.get("private")
        if conf is None:
            self._wrapped = PrivateStorage()
        else:
            self._wrapped = import_string(conf["BACKEND"])(**conf.get("OPTIONS", {}))


private_storage = _LazyPrivateStorage()


@receiver(setting_changed)
def _reset_private_storage(*, setting, **kwargs):
    if setting in ("STORAGES", "PRIVATE_MEDIA_ROOT"):
        private_storage._wrapped = empty


def get_private_storage():
    """Callable for FileField(storage=...), so migrations do not freeze the location."""
    return private_storage


UNKNOWN_TYPE = "application/octet-stream"


def detect_type(fileobj):
    """The file's type from its first bytes (filetype's kind, or None), never from the name or
    the Content-Type a browser declared. Leaves the file at its start."""
    fileobj.seek(0)
    head = fileobj.read(8192)
    fileobj.seek(0)
    return filetype.guess(head)


def detected_content_type(fileobj) -> str:
    """The Content-Type to store and to serve a file with: detected from its content."""
    kind = detect_type(fileobj)
    return kind.mime if kind else UNKNOWN_TYPE
