"""The media pipeline: a version's processing state, and what processing makes.

    QUEUED → PROCESSING → READY
                       ↘ FAILED (with its reason) → QUEUED (retry, staff only)

Processing probes the original, makes a browser-playable H.264 proxy when the original is not
one (ProRes, DNxHD, 10-bit, anything in MKV…), a thumbnail and a poster frame. It runs outside
any transaction, in three steps: claim (one conditional UPDATE, so two workers, even in two
processes, never take the same version), the slow ffmpeg work, then record the outcome. Every
state change queues version.processing_changed, delivered after commit.

Nothing here starts threads: feedback_app.workers runs process_version in a bounded pool, fed by
version.created and by a startup sweep of queued versions.

A claim also takes a lease on the version (services.leases, "media-version:<id>") for the
process that runs it, which renews it while ffmpeg works (renew_leases). A process that dies
stops renewing: once the lease has expired, any process's periodic check (requeue_abandoned)
puts the version back in the queue, so several backend workers never lose a version, and none
takes one that another is still working on.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

from integrations import media
from integrations.storage import Storage, get_storage, opaque_key
from models import ProcessingState, SchedulerLease, Version
from models.base import utcnow
from services import access, events, leases
from services.db import session_scope
from services.errors import Conflict
from services.schemas import UserRead
from services.settings import Settings, get_settings
from services.uploads import STILLS

log = logging.getLogger(__name__)

QUEUED, PROCESSING = ProcessingState.QUEUED, ProcessingState.PROCESSING
READY, FAILED = ProcessingState.READY, ProcessingState.FAILED

TRANSITIONS: dict[ProcessingState, frozenset[ProcessingState]] = {
    QUEUED: frozenset({PROCESSING}),
    # back to QUEUED: a run cut short by a restart is put back by the startup sweep
    PROCESSING: frozenset({READY, FAILED, QUEUED}),
    FAILED: frozenset({QUEUED}),
    READY: frozenset(),
}
MAX_REASON = 1000
EVENT = "version.processing_changed"
LEASE_TTL = timedelta(minutes=2)  # the runner renews every 30 s
LEASE_PREFIX = "media-version:"


class ProcessingFailed(Exception):
    """Processing cannot succeed for this file; the message is the reason shown on it."""


@dataclass(frozen=True)
class ProcessingRead:
    version_id: int
    task_id: int | None
    state: str
    error: str | None


def can_transition(current: ProcessingState, to: ProcessingState) -> bool:
    return to in TRANSITIONS[current]


def _emit(session: Session, v: Version) -> None:
    events.emit(
        session,
        EVENT,
        v.project_id,
        version_id=v.id,
        task_id=v.task_id,
        state=v.processing_state.value,
    )


def _set_state(
    session: Session, v: Version, to: ProcessingState, *, error: str | None = None
) -> None:
    if not can_transition(v.processing_state, to):
        raise Conflict(f"A version cannot go from {v.processing_state.value} to {to.value}.")
    v.processing_state = to
    v.processing_error = error
    session.add(v)
    session.flush()
    _emit(session, v)


def _read(v: Version) -> ProcessingRead:
    return ProcessingRead(
        version_id=v.id, task_id=v.task_id, state=v.processing_state.value, error=v.processing_error
    )


# ------------------------------------------------------------------ queue bookkeeping


def queued_version_ids(session: Session) -> list[int]:
    """Versions waiting for processing, oldest first (the startup sweep)."""
    return list(
        session.exec(
            select(Version.id)
            .where(Version.processing_state == QUEUED)
            .order_by(Version.created_at, Version.id)
        ).all()
    )


def requeue_interrupted(session: Session) -> list[int]:
    """Put versions left in PROCESSING by a stopped process back in the queue. Only safe when
    no other process can be working on them (a single backend process at startup)."""
    rows = session.exec(select(Version).where(Version.processing_state == PROCESSING)).all()
    for v in rows:
        _set_state(session, v, QUEUED)
    return [v.id for v in rows]


def claim(
    session: Session, *, version_id: int, holder: str | None = None, now: datetime | None = None
) -> bool:
    """QUEUED → PROCESSING in one conditional UPDATE: True for exactly one caller, who (given a
    holder) also gets the version's lease for LEASE_TTL."""
    taken = session.exec(
        sa.update(Version)
        .where(Version.id == version_id, Version.processing_state == QUEUED)
        .values(processing_state=PROCESSING, processing_error=None)
    ).rowcount
    if taken != 1:
        return False
    if holder is not None:
        name = _lease_name(version_id)
        # The UPDATE above made us the only runner: a stale lease of an earlier run goes.
        session.execute(sa.delete(SchedulerLease).where(SchedulerLease.name == name))
        leases.acquire(session, name=name, holder=holder, ttl=LEASE_TTL, now=now)
    v = session.get(Version, version_id)
    session.refresh(v)
    _emit(session, v)
    return True


def renew_leases(
    session: Session, *, version_ids: list[int], holder: str, now: datetime | None = None
) -> list[int]:
    """Renew this process's leases on the versions it is processing; returns those renewed."""
    return [
        vid
        for vid in version_ids
        if leases.acquire(session, name=_lease_name(vid), holder=holder, ttl=LEASE_TTL, now=now)
    ]


def requeue_abandoned(session: Session, *, now: datetime | None = None) -> list[int]:
    """Put back in the queue the versions in PROCESSING whose lease has expired (or that have
    none): the process running them stopped. Safe with several processes: a live runner
    renews its leases well before they expire."""
    now = now or utcnow()
    live = set(
        session.exec(
            select(SchedulerLease.name).where(
                SchedulerLease.name.startswith(LEASE_PREFIX), SchedulerLease.expires_at > now
            )
        ).all()
    )
    rows = session.exec(
        select(Version).where(Version.processing_state == PROCESSING).with_for_update()
    ).all()
    abandoned = [v for v in rows if _lease_name(v.id) not in live]
    for v in abandoned:
        _set_state(session, v, QUEUED)
        session.execute(sa.delete(SchedulerLease).where(SchedulerLease.name == _lease_name(v.id)))
    return [v.id for v in abandoned]


def _lease_name(version_id: int) -> str:
    return f"{LEASE_PREFIX}{version_id}"


# ------------------------------------------------------------------ use cases


def retry(session: Session, *, actor: UserRead, version_id: int) -> ProcessingRead:
    """Staff put a FAILED version back in the queue; the worker picks it up after commit."""
    v = access.load_version(session, actor, version_id, "version.reprocess")
    if v.processing_state is not FAILED:
        raise Conflict("Only a version whose processing failed can be retried.")
    _set_state(session, v, QUEUED)
    return _read(v)


def get_processing(session: Session, *, actor: UserRead, version_id: int) -> ProcessingRead:
    """The processing state as the actor may see it: a client never reads internal reasons."""
    v = access.load_version(session, actor, version_id)
    read = _read(v)
    if actor.role == "CLIENT" and read.error:
        return ProcessingRead(read.version_id, read.task_id, read.state, "Processing failed.")
    return read


# ------------------------------------------------------------------ the work


def process_version(
    version_id: int,
    *,
    storage: Storage | None = None,
    uow: Callable[[], AbstractContextManager[Session]] = session_scope,
    settings: Settings | None = None,
    holder: str | None = None,
) -> ProcessingState | None:
    """Process one version end to end. Returns its final state, or None when another worker
    had it already (or it is not QUEUED). Blocking: call it from a worker thread. `holder`
    names the process for the version's lease (see the module)."""
    settings = settings or get_settings()
    storage = storage or get_storage(settings)
    with uow() as s:
        if not claim(s, version_id=version_id, holder=holder):
            return None
        v = s.get(Version, version_id)
        original_key, original_name = v.original_key, v.original_filename
    made: list[str] = []  # keys stored by this run, removed if it does not end READY
    try:
        if not original_key:
            raise ProcessingFailed("The version has no file.")
        fields = _derive(storage, original_key, original_name, made, settings)
    except media.MediaCancelled:  # the app is stopping: the next start's sweep takes it again
        _forget(storage, made)
        _record(uow, version_id, QUEUED)
        return QUEUED
    except Exception as exc:
        _forget(storage, made)
        reason = _reason(exc)
        if not isinstance(exc, (ProcessingFailed, media.MediaError, FileNotFoundError)):
            log.exception("processing version %s failed", version_id)
        _record(uow, version_id, FAILED, error=reason)
        return FAILED
    try:
        if _record(uow, version_id, READY, fields=fields):
            return READY
    except Exception:
        log.exception("recording version %s as processed failed", version_id)
        _record(uow, version_id, FAILED, error="Processing finished but could not be saved.")
    _forget(storage, made)
    return FAILED


def _record(uow, version_id: int, state: ProcessingState, *, error=None, fields=None) -> bool:
    """PROCESSING → state, with the derived fields; False if the version went away or was
    changed meanwhile (its new files are then not referenced, and the caller removes them)."""
    with uow() as s:
        v = s.get(Version, version_id)
        if v is None or v.processing_state is not PROCESSING:
            return False
        for name, value in (fields or {}).items():
            setattr(v, name, value)
        _set_state(s, v, state, error=error)
        s.execute(sa.delete(SchedulerLease).where(SchedulerLease.name == _lease_name(version_id)))
        return True


def _forget(storage: Storage, keys: list[str]) -> None:
    for key in keys:
        with contextlib.suppress(Exception):
            storage.delete(key)


def _reason(exc: Exception) -> str:
    if isinstance(exc, ProcessingFailed):
        text = str(exc)
    elif isinstance(exc, media.MediaError):
        text = f"The file could not be processed: {exc}"
    elif isinstance(exc, FileNotFoundError):
        text = "The uploaded file is missing from storage; upload it again."
    else:
        text = "Processing failed unexpectedly; retry, or ask an admin to check the logs."
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 3] + "..."


def _derive(
    storage: Storage, key: str, original_name: str, made: list[str], settings: Settings
) -> dict:
    """Probe the original, make what the player needs, store it; the Version fields to set."""
    ext = key.rsplit(".", 1)[-1].lower()
    still = ext in STILLS
    with (
        storage.local_copy(key) as src,
        tempfile.TemporaryDirectory(prefix="feedback-pipeline-") as tmp,
    ):
        try:
            info = media.probe(src)
        except media.MediaError as exc:
            # ffmpeg names the file it read: show the uploader's name, not a server path
            detail = str(exc).replace(str(src), original_name)
            raise ProcessingFailed(f"FeedBack could not read this file: {detail}") from None
        if info.width <= 0 or info.height <= 0 or (not still and info.frame_count <= 0):
            raise ProcessingFailed("FeedBack could not find a picture in this file.")

        def store(path: Path, ext: str) -> str:
            new = opaque_key(ext)
            storage.save_file(new, path)
            made.append(new)
            return new

        if still:
            proxy_key = None  # the player shows the poster
        elif media.is_browser_playable(info, ext):
            proxy_key = key  # the original plays as is
        else:
            proxy = media.make_proxy(
                src, Path(tmp) / "proxy.mp4", timeout=settings.proxy_timeout_seconds
            )
            proxy_key = store(proxy, "mp4")
        middle = 0.0 if still else info.duration / 2
        thumb = media.make_thumbnail(src, Path(tmp) / "thumbnail.jpg", at_seconds=middle)
        poster = media.make_poster(src, Path(tmp) / "poster.jpg")
        return {
            "width": info.width,
            "height": info.height,
            "codec": info.codec[:64] or None,
            "fps": None if still else info.fps,
            "frame_count": 1 if still else info.frame_count,
            "duration": None if still else info.duration,
            "proxy_key": proxy_key,
            "thumbnail_key": store(thumb, "jpg"),
            "poster_key": store(poster, "jpg"),
        }
