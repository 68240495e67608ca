"""What a backup holds: every table but those rebuilt by `migrate` or only transient, and the
folders of every file-system storage (media, private files)."""

from pathlib import Path

from django.core.files.storage import FileSystemStorage, storages

# Rebuilt by migrate (content types, permissions) or transient (sessions).
EXCLUDED = ["contenttypes", "auth.permission", "sessions.session"]


def file_roots() -> dict[str, Path]:
    """alias -> folder of each storage kept on this machine's disk. Object storage (S3) is not
    copied: it keeps its own versions."""
    roots = {}
    for alias in storages.backends:
        if alias == "staticfiles":
            continue
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage):
            roots[alias] = Path(storage.location)
    return roots
