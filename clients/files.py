"""Private files (voice notes, photos): stored outside any public URL, served after an access check.

The storage is `STORAGES["private"]`: a folder under `var/private` by default, an S3 bucket through
django-storages in production. Views that serve a file load its owner through
`Client.objects.visible_to(user)` first, then call `serve_private_file`, which answers range requests
(Safari will not play or seek audio without them).
"""

import mimetypes
import re

from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.functional import LazyObject, empty

CHUNK = 64 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder that has no URL: a template asking for `.url` is a bug, not a public link."""

    def url(self, name):
        raise NotImplementedError("Private files have no public URL; link to the serving view.")


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage_object = _PrivateStorage()


def private_storage():
    """The storage of private file fields (a callable, so that migrations do not freeze it)."""
    return private_storage_object


@receiver(setting_changed)
def _reset_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        private_storage_object._wrapped = empty


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single `bytes=` range; None when absent or not understood."""
    match = RANGE.match(header.strip())
    if not match or (not match[1] and not match[2]):
        return None
    if match[1]:
        first = int(match[1])
        last = min(int(match[2]), size - 1) if match[2] else size - 1
    else:  # the last N bytes
        first, last = max(size - int(match[2]), 0), size - 1
    return first, last


def _chunks(handle, length: int):
    try:
        while length > 0:
            data = handle.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()


def serve_private_file(request, storage, name: str, *, content_type: str = "", filename: str = ""):
    """The file `name` of `storage`, whole or the byte range asked for; call after checking access."""
    try:
        size = storage.size(name)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise Http404 from exc
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    wanted = _parse_range(request.headers.get("Range", ""), size)
    if wanted is not None and (wanted[0] >= size or wanted[0] > wanted[1]):
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        first, last = wanted or (0, size - 1)
        length = max(last - first + 1, 0)
        handle = storage.open(name, "rb")
        if first:
            handle.seek(first)
        response = StreamingHttpResponse(
            _chunks(handle, length), status=206 if wanted else 200, content_type=content_type
        )
        response["Content-Length"] = str(length)
        if wanted:
            response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if filename:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
