"""The one file store, and the one way a stored file leaves it.

Every uploaded file (governance papers, learning-log evidence, section 11 evidence, procedure
attachments, completions imports) and every report build lives in Django's default storage,
which settings choose (`JIGSAW_FILE_STORAGE`: local files, S3 or Azure Blob through
django-storages), so several web servers and task workers share one store. A file is written
through `saving()` (a store that does not answer becomes a message on the form, and a file
stored by a save that then failed is removed: nothing is half-saved) and read back only through
`FileDownload`, which fetches its record through the scoping helper, records in the audit trail
who downloaded personal data, and says plainly when the store cannot give the file.
"""

from __future__ import annotations

import contextlib
import logging
import mimetypes
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.views import generic

from . import uploads
from .audit import attributed_to
from .generic import ScopedObjectMixin

logger = logging.getLogger(__name__)

UNAVAILABLE_UPLOAD = (
    "The file could not be stored: Jigsaw's file store is not answering. Nothing was saved. Try again in a few minutes."
)
UNAVAILABLE_DOWNLOAD = (
    "This file is unavailable just now: Jigsaw's file store is not answering. Try again in a few minutes."
)
MISSING_DOWNLOAD = "This file is unavailable: it is no longer in Jigsaw's file store."


def _storage_errors() -> tuple[type[BaseException], ...]:
    """What each backend raises when its store cannot be reached or refuses (OSError for local files)."""
    errors: list[type[BaseException]] = [OSError]
    with contextlib.suppress(ImportError):
        from boto3.exceptions import Boto3Error
        from botocore.exceptions import BotoCoreError, ClientError

        errors += [BotoCoreError, ClientError, Boto3Error]
    with contextlib.suppress(ImportError):
        from azure.core.exceptions import AzureError

        errors.append(AzureError)
    return tuple(errors)


STORAGE_ERRORS = _storage_errors()


class Unavailable(Exception):
    """The file store did not answer (or refused): nothing was read or written."""


def save(name: str, content) -> str:
    """Store `content` (bytes or a file) under `name`, or a free name beside it; returns the name used."""
    if isinstance(content, (bytes, bytearray, memoryview)):
        content = ContentFile(bytes(content))
    try:
        return default_storage.save(name, content)
    except STORAGE_ERRORS as error:
        logger.warning("The file store refused %s: %s", name, error)
        raise Unavailable(UNAVAILABLE_UPLOAD) from error


def put(name: str, content) -> str:
    """Store `content` under exactly `name`, replacing what was there (a report build's outputs)."""
    try:
        if default_storage.exists(name):
            default_storage.delete(name)
    except STORAGE_ERRORS as error:
        raise Unavailable(UNAVAILABLE_UPLOAD) from error
    stored = save(name, content)
    if stored != name:  # pragma: no cover - only if another process wrote the name in between
        raise Unavailable(f"{name} was written by another process at the same time.")
    return stored


def open_stored(name: str):
    """The stored file, open for reading and shown to answer: FileNotFoundError when it is not
    there, Unavailable when the store does not answer."""
    try:
        handle = default_storage.open(name, "rb")
        # Read now, not when the response streams: a store that does not answer is a page that
        # says so, never a download cut off half-way.
        handle.read(1)
        handle.seek(0)
        return handle
    except FileNotFoundError:
        raise
    except STORAGE_ERRORS as error:
        logger.warning("The file store could not give %s: %s", name, error)
        raise Unavailable(UNAVAILABLE_DOWNLOAD) from error


def read(name: str) -> bytes:
    with open_stored(name) as handle:
        return handle.read()


def exists(name: str) -> bool:
    try:
        return default_storage.exists(name)
    except STORAGE_ERRORS as error:
        raise Unavailable(UNAVAILABLE_DOWNLOAD) from error


def delete(name: str) -> None:
    """Remove a stored file; a store that does not answer leaves it (logged), never fails the caller."""
    if not name:
        return
    try:
        default_storage.delete(name)
    except STORAGE_ERRORS as error:
        logger.warning("Could not remove %s from the file store: %s", name, error)


def delete_on_commit(name: str) -> None:
    """Remove a replaced file once the record no longer points to it."""
    if name:
        transaction.on_commit(lambda: delete(name))


class Saving:
    """Tracks what a save stores, so that a failed save leaves nothing behind in the store."""

    def __init__(self, field: str | None):
        self.field = field
        self.stored: list[str] = []
        self.watched: list[tuple[object, str | None]] = []

    def watch(self, fieldfile) -> None:
        """A record's file field holding a new upload: the model's save stores it."""
        self.watched.append((fieldfile, fieldfile.name if getattr(fieldfile, "_committed", True) else None))

    def save(self, name: str, content) -> str:
        stored = save(name, content)
        self.stored.append(stored)
        return stored

    def _remove_written(self) -> None:
        for name in self.stored:
            delete(name)
        for fieldfile, before in self.watched:
            if getattr(fieldfile, "_committed", False) and fieldfile.name and fieldfile.name != before:
                delete(fieldfile.name)


@contextlib.contextmanager
def saving(field: str | None = "file"):
    """Wrap a save that writes files (outside its transaction, so the rows are undone first):
    the store not answering becomes a ValidationError on `field`, and any file the failed save
    had stored is removed."""
    tracker = Saving(field)
    try:
        yield tracker
    except (Unavailable, *STORAGE_ERRORS) as error:
        tracker._remove_written()
        if isinstance(error, FileNotFoundError):
            raise
        logger.warning("A save failed because the file store did not answer: %s", error)
        raise ValidationError({field: UNAVAILABLE_UPLOAD} if field else UNAVAILABLE_UPLOAD) from error
    except BaseException:
        tracker._remove_written()
        raise


def content_type_for(name: str) -> str:
    """The content type a stored file is served with, from the upload policy's kinds."""
    suffix = PurePath(name).suffix.lower()
    for policy in uploads.FILE_POLICIES:
        for kind in policy.kinds:
            if suffix in kind.extensions:
                return kind.content_type
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


class FileDownload(ScopedObjectMixin, generic.View):
    """The one download view for stored files. A page declares `model` (fetched through the
    scoping helper: out of scope is a 404), `roles`, and which of the record's files it serves
    (`file_field`, or `stored_name()`); `personal = True` records each download in the audit
    trail as the record being viewed. Files go out as sandboxed attachments (core.uploads)."""

    file_field = "file"
    personal = False

    def get_record(self):
        return self.get_object()

    def stored_name(self, record) -> str:
        return getattr(record, self.file_field).name or ""

    def stored_content(self, record) -> bytes | None:
        """Bytes kept in the record itself, for files not yet moved into the store."""
        return None

    def filename(self, record, name: str) -> str:
        return PurePath(name).name

    def content_type(self, record, name: str) -> str:
        return content_type_for(name)

    def get(self, request, *args, **kwargs):
        record = self.get_record()
        name = self.stored_name(record)
        if name:
            try:
                content = open_stored(name)
            except FileNotFoundError:
                return self.unavailable(MISSING_DOWNLOAD, status=404)
            except Unavailable:
                return self.unavailable(UNAVAILABLE_DOWNLOAD, status=503)
        else:
            content = self.stored_content(record)
            if not content:
                raise Http404("No file is stored for this record.")
        if self.personal:
            from auditlog.signals import accessed

            with attributed_to(request.user):
                accessed.send(sender=type(record), instance=record)
        filename = self.filename(record, name)
        return uploads.attachment_response(content, filename=filename, content_type=self.content_type(record, filename))

    def unavailable(self, message: str, *, status: int):
        response = render(self.request, "core/file_unavailable.html", {"message": message}, status=status)
        if status == 503:
            response["Retry-After"] = "60"
        return response


# Moving what is already held into the configured store (`jigsaw move_files`). -----------------
#
# The names the store should hold: every model's file fields, found by looking, plus the names
# apps keep in other columns (registered: a completions import's stored file, a build's outputs).
# Rows that hold a file themselves (evidence from before the store) register a mover.

NAME_SOURCES: list = []
ROW_MOVERS: list = []


def register_names(source) -> None:
    """`source()` yields the store names an app keeps outside file fields."""
    NAME_SOURCES.append(source)


def register_row_mover(mover) -> None:
    """`mover(place)` moves rows holding files into the store, one row per transaction, and
    returns how many it moved; `place(name, content)` stores the bytes under exactly that name."""
    ROW_MOVERS.append(mover)


def stored_names():
    """Every name the database says is in the store, once."""
    from django.apps import apps
    from django.db import models

    seen = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for field in fields:
            for name in model._base_manager.exclude(**{field: ""}).values_list(field, flat=True).iterator():
                if name and name not in seen:
                    seen.add(name)
                    yield name
    for source in NAME_SOURCES:
        for name in source():
            if name and name not in seen:
                seen.add(name)
                yield name


def place(name: str, content, size: int) -> bool:
    """Store `content` under exactly `name` unless the store already holds it whole (same size):
    so a move run again, or after being stopped half-way, writes only what is missing. True if
    it wrote."""
    try:
        if default_storage.exists(name):
            if default_storage.size(name) == size:
                return False
            default_storage.delete(name)  # a copy cut short: replaced
    except STORAGE_ERRORS as error:
        raise Unavailable(UNAVAILABLE_UPLOAD) from error
    stored = save(name, content)
    if stored != name:  # pragma: no cover - another process wrote the name in between
        raise Unavailable(f"{name} was written by another process at the same time.")
    return True


def is_local_store(directory) -> bool:
    """Whether the configured store is the local folder `directory` itself (nothing to move)."""
    from pathlib import Path

    from django.core.files.storage import FileSystemStorage

    # default_storage is a lazy proxy: isinstance sees the configured backend's class.
    return isinstance(default_storage, FileSystemStorage) and (
        Path(default_storage.location).resolve() == Path(directory).resolve()
    )
