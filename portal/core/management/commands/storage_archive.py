"""Copy the files of a storage into a tar.gz archive, or back: the backup of files kept on
object storage (scripts/backup and scripts/restore call it when S3_BUCKET is set; files on a
local disk are archived with tar directly).

    manage.py storage_archive export default media.tar.gz
    manage.py storage_archive export private private.tar.gz
    manage.py storage_archive import private private.tar.gz --replace
"""

import io
import tarfile
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

STORAGE_NAMES = ("default", "private")


def walk(storage, folder=""):
    """Every file name in ``storage`` under ``folder``, depth first."""
    directories, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        yield from walk(storage, f"{folder}/{directory}" if folder else directory)


def export_archive(storage, path) -> int:
    count = 0
    with tarfile.open(path, "w:gz") as archive:
        for name in walk(storage):
            with storage.open(name, "rb") as fh:
                data = fh.read()
            info = tarfile.TarInfo(name=f"./{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            count += 1
    return count


def _safe_name(member) -> str | None:
    """The member's path inside the storage, or None for anything that is not a plain file
    inside it (links, devices, absolute paths, '..')."""
    if not member.isfile():
        return None
    path = PurePosixPath(member.name)
    parts = [p for p in path.parts if p not in ("", ".")]
    if path.is_absolute() or ".." in parts or not parts:
        return None
    return "/".join(parts)


def import_archive(storage, path, replace=False) -> int:
    with tarfile.open(path, "r:gz") as archive:
        members = [(m, _safe_name(m)) for m in archive.getmembers()]
        if any(name is None and m.isfile() for m, name in members):
            raise CommandError(f"{path}: a file outside the archive's folder; nothing restored.")
        wanted = {name: archive.extractfile(m).read() for m, name in members if name}
    if replace:
        for name in list(walk(storage)):
            if name not in wanted:
                storage.delete(name)
    for name, data in wanted.items():
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, ContentFile(data))
        if saved != name:
            raise CommandError(f"{name} was stored as {saved}: restore into an empty storage.")
    return len(wanted)


class Command(BaseCommand):
    help = "Archive a storage's files into a tar.gz, or restore them from one."

    def add_arguments(self, parser):
        parser.add_argument("operation", choices=["export", "import"])
        parser.add_argument("storage", choices=STORAGE_NAMES)
        parser.add_argument("archive")
        parser.add_argument(
            "--replace", action="store_true", help="import: delete files not in the archive"
        )

    def handle(self, operation, storage, archive, replace=False, **options):
        target = storages[storage]
        if operation == "export":
            count = export_archive(target, archive)
        else:
            count = import_archive(target, archive, replace=replace)
        self.stdout.write(f"{count} tệp ({storage})")
