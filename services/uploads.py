"""Uploading a version's file: what is accepted, and the use case around the byte stream.

An upload runs as three steps, each its own unit of work, because a 2 GiB stream must never
hold a database transaction (or a pooled connection) open while it arrives:

1. check: the actor may upload to the task; the name, kind and announced size are acceptable.
   Refused here, no byte is stored.
2. stream: the bytes go to storage under a generated key, counted and sniffed on the way. The
   storage write is all-or-nothing (a hidden ".part" file on disk, an uncompleted multipart
   upload on S3): nothing is readable under the key until the last byte has arrived.
3. commit: versions.create_version gives the next number atomically, runs the workflow and
   queues version.created (which feeds the media pipeline once committed).

Any failure once step 2 started (a refused content, the size limit, a dropped connection, a
failed commit) deletes the stored file: no version row and no orphan file are left behind.
The user's file name is kept as metadata only and is never part of a path or key.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import BinaryIO

from sqlmodel import Session

from integrations.storage import Storage, get_storage, opaque_key
from services import access, versions
from services.db import session_scope
from services.errors import ValidationError
from services.schemas import UserRead, VersionRead
from services.settings import Settings, get_settings

# Extension → the content family its bytes must belong to.
ACCEPTED: dict[str, str] = {
    "mov": "isobmff",
    "mp4": "isobmff",
    "m4v": "isobmff",
    "mkv": "ebml",
    "webm": "ebml",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
}
STILLS = frozenset({"png", "jpg", "jpeg"})
_FAMILY_LABEL = {
    "isobmff": "a MOV/MP4 video",
    "ebml": "an MKV/WebM video",
    "png": "a PNG image",
    "jpeg": "a JPEG image",
}
# QuickTime atoms an ISO-BMFF file may start with (old .mov files have no "ftyp").
_ISO_BOXES = (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")
SNIFF_BYTES = 64
MAX_FILENAME = 255  # Version.original_filename
MAX_DESCRIPTION = 5000
KINDS_TEXT = "MOV, MP4, M4V, MKV, WebM, PNG or JPEG"


class UploadRefused(ValidationError):
    """The file was refused; the message says why, in words fit for the uploader."""

    http_status = 400


class UnsupportedMedia(UploadRefused):
    http_status = 415


class TooLarge(UploadRefused):
    http_status = 413


class UploadIncomplete(UploadRefused):
    """The stream ended before the announced size (a cancelled or dropped upload)."""


@dataclass(frozen=True)
class UploadLimits:
    """What the upload form may check before sending (the server checks again)."""

    max_bytes: int
    extensions: tuple[str, ...]

    @property
    def accept(self) -> str:
        """For <input type=file accept=…>."""
        return ",".join(f".{e}" for e in self.extensions)


@dataclass(frozen=True)
class UploadOptions:
    move_to_review: bool = True  # workflow: the task goes to INTERNAL_REVIEW
    notify: bool = True  # carried on version.created for the notifications subscriber
    description: str = ""  # the uploader's note, becomes the version's description


@dataclass(frozen=True)
class UploadPlan:
    """An upload that passed the checks of step 1."""

    task_id: int
    original_filename: str
    ext: str
    key: str
    max_bytes: int
    declared_size: int | None


def limits(settings: Settings | None = None) -> UploadLimits:
    settings = settings or get_settings()
    return UploadLimits(max_bytes=settings.max_upload_mb * 1024 * 1024, extensions=tuple(ACCEPTED))


def _shown(name: str) -> str:
    return name if len(name) <= 80 else f"{name[:77]}..."


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def clean_filename(filename: str | None) -> tuple[str, str]:
    """The name to keep as metadata and its extension (lower case). A name with folder parts,
    control characters or an extension we do not take is refused."""
    name = unicodedata.normalize("NFC", (filename or "").strip())
    if not name:
        raise UploadRefused("The file has no name.")
    if "/" in name or "\\" in name or name in (".", ".."):
        raise UploadRefused(
            f'"{_shown(name)}" contains a folder path. Send the file itself, named without '
            "folders or '..'."
        )
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name):
        raise UploadRefused("The file name contains control characters.")
    if len(name) > MAX_FILENAME:
        raise UploadRefused(f"The file name is longer than {MAX_FILENAME} characters.")
    stem, dot, ext = name.rpartition(".")
    ext = ext.lower()
    if not dot or not stem.strip(". ") or ext not in ACCEPTED:
        raise UnsupportedMedia(f'FeedBack takes {KINDS_TEXT} files; "{_shown(name)}" is not one.')
    return name, ext


def sniff(head: bytes) -> str | None:
    """The content family of a file from its first bytes, or None if it is none we take."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "ebml"
    if len(head) >= 8 and head[4:8] in _ISO_BOXES:
        return "isobmff"
    return None


def check_upload(
    session: Session,
    *,
    actor: UserRead,
    task_id: int,
    filename: str | None,
    declared_size: int | None = None,
    description: str = "",
    settings: Settings | None = None,
) -> UploadPlan:
    """Step 1: may this actor send this file to this task? Nothing is stored yet."""
    access.load_task(session, actor, task_id, "version.create")
    name, ext = clean_filename(filename)
    max_bytes = limits(settings).max_bytes
    if declared_size is not None and declared_size > max_bytes:
        raise TooLarge(f'"{_shown(name)}" is {_mb(declared_size)}; the limit is {_mb(max_bytes)}.')
    if declared_size == 0:
        raise UploadRefused(f'"{_shown(name)}" is empty.')
    if len(description or "") > MAX_DESCRIPTION:
        raise UploadRefused(f"The note is longer than {MAX_DESCRIPTION} characters.")
    return UploadPlan(
        task_id=task_id,
        original_filename=name,
        ext=ext,
        key=opaque_key(ext),
        max_bytes=max_bytes,
        declared_size=declared_size,
    )


class _Inspector:
    """What storage reads the upload through: counts bytes against the limit and checks the
    first bytes against the extension as soon as they arrive, so a wrong file stops early."""

    def __init__(self, fileobj: BinaryIO, plan: UploadPlan):
        self._src, self._plan = fileobj, plan
        self.size = 0
        self._head = b""
        self._checked = False

    def read(self, n: int = -1) -> bytes:
        chunk = self._src.read(n)
        self._inspect(chunk)
        return chunk

    def read_parts(self, n: int = -1) -> list[bytes]:
        """read() as a list of pieces ([] at the end), unjoined when the source has them too:
        local storage writes them with one writev."""
        source = getattr(self._src, "read_parts", None)
        if source is None:
            chunk = self.read(n)
            return [chunk] if chunk else []
        parts = source(n)
        for part in parts:
            self._inspect(part)
        if not parts:
            self._inspect(b"")
        return parts

    def _inspect(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self._plan.max_bytes:
            raise TooLarge(
                f'"{_shown(self._plan.original_filename)}" is larger than the limit of '
                f"{_mb(self._plan.max_bytes)}."
            )
        if not self._checked:
            self._head += chunk[: SNIFF_BYTES - len(self._head)]
            if len(self._head) >= SNIFF_BYTES or not chunk:
                self._check_content()

    def _check_content(self) -> None:
        self._checked = True
        name = _shown(self._plan.original_filename)
        if not self._head:
            raise UploadRefused(f'"{name}" is empty.')
        expected, found = ACCEPTED[self._plan.ext], sniff(self._head)
        if found != expected:
            looks = f" (it looks like {_FAMILY_LABEL[found]})" if found else ""
            raise UnsupportedMedia(
                f'"{name}" does not contain {_FAMILY_LABEL[expected]}{looks}. Export it again '
                f"as {KINDS_TEXT}."
            )

    def finish(self) -> None:
        if not self._checked:
            self._check_content()
        declared = self._plan.declared_size
        if declared is not None and self.size != declared:
            raise UploadIncomplete("The upload ended early; nothing was saved. Try again.")


def upload_version(
    *,
    actor: UserRead,
    task_id: int,
    filename: str | None,
    fileobj: BinaryIO,
    declared_size: int | None = None,
    options: UploadOptions | None = None,
    storage: Storage | None = None,
    uow: Callable[[], AbstractContextManager[Session]] = session_scope,
    settings: Settings | None = None,
) -> VersionRead:
    """Store the file read from fileobj as the task's next version (see the module's steps).

    Blocking: run it in a worker thread, never on an event loop. fileobj.read(n) may raise to
    cancel (e.g. the client disconnected); whatever was stored is then removed.
    """
    options = options or UploadOptions()
    settings = settings or get_settings()
    storage = storage or get_storage(settings)
    with uow() as s:
        plan = check_upload(
            s,
            actor=actor,
            task_id=task_id,
            filename=filename,
            declared_size=declared_size,
            description=options.description,
            settings=settings,
        )
    inspector = _Inspector(fileobj, plan)
    try:
        size = storage.save_stream(plan.key, inspector)
        inspector.finish()
        with uow() as s:
            version = versions.create_version(
                s,
                actor=actor,
                task_id=plan.task_id,
                original_filename=plan.original_filename,
                original_key=plan.key,
                file_size=size,
                description=options.description,
                move_to_review=options.move_to_review,
                notify=options.notify,
            )
    except BaseException:
        with contextlib.suppress(Exception):
            storage.delete(plan.key)
        raise
    return version
