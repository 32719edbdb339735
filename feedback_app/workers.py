"""Background work beside the app's requests: the media pipeline's bounded worker pool.

The app starts it as a lifespan task (feedback_app.app). It is fed by domain events after
commit (version.created, and version.processing_changed back to QUEUED on a retry) and, at
start, by a sweep of the versions still QUEUED. ffmpeg runs in these threads' subprocesses,
so neither the event loop nor other people's requests wait for it.

A heartbeat thread renews the leases of the versions this process is running, every
heartbeat_seconds, and puts back in the queue the versions whose process stopped without
finishing them (services.media_pipeline.requeue_abandoned): with several backend workers, a
worker that dies mid-transcode loses nothing.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager

import anyio.to_thread
from sqlmodel import Session

from integrations import media
from integrations.storage import LocalDiskStorage, Storage, get_storage
from services import events, media_pipeline
from services.db import session_scope
from services.settings import Settings, get_settings

log = logging.getLogger(__name__)


class MediaPipelineRunner:
    """At most max_workers versions processed at once; a version is queued once however many
    times it is asked for (the claim in services.media_pipeline guards across processes)."""

    def __init__(
        self,
        *,
        max_workers: int = 2,
        recover_interrupted: bool = False,
        storage: Storage | None = None,
        uow: Callable[[], AbstractContextManager[Session]] = session_scope,
        settings: Settings | None = None,
        heartbeat_seconds: float = 30.0,
    ):
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._heartbeat_seconds = heartbeat_seconds
        self._stopping = threading.Event()
        self._heartbeat: threading.Thread | None = None
        self._settings = settings or get_settings()
        self._storage = storage or get_storage(self._settings)
        self._uow = uow
        self._recover = recover_interrupted
        self._pool = ThreadPoolExecutor(max_workers, thread_name_prefix="media-pipeline")
        self._lock = threading.Lock()
        self._pending: set[int] = set()  # queued or running
        self._running: set[int] = set()
        self._idle = threading.Condition(self._lock)
        self._subscriber = None

    def start(self) -> None:
        self._subscriber = events.subscribe(
            self._on_event, {"version.created", media_pipeline.EVENT}
        )
        self._pool.submit(self._sweep)
        self._heartbeat = threading.Thread(
            target=self._beat, name="media-pipeline-heartbeat", daemon=True
        )
        self._heartbeat.start()

    def stop(self, wait: bool = True) -> None:
        """Stop taking work; queued versions stay QUEUED for the next start. A running
        transcode is stopped too (its version goes back to QUEUED): a restart must not wait
        for a two-hour ProRes."""
        if self._subscriber is not None:
            events.unsubscribe(self._subscriber)
            self._subscriber = None
        self._stopping.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            self._pending &= self._running  # the cancelled ones never run
            self._idle.notify_all()
        media.stop_background()
        # Again until idle: a job between two steps may start its transcode after a first stop.
        while wait and not self.wait_idle(0.1):
            media.stop_background()
        if wait:
            self._pool.shutdown(wait=True)

    def submit(self, version_id: int) -> None:
        with self._lock:
            if version_id in self._pending:
                return
            self._pending.add(version_id)
        try:
            self._pool.submit(self._run, version_id)
        except RuntimeError:  # shutting down: the next start's sweep finds it QUEUED
            with self._lock:
                self._pending.discard(version_id)
                self._idle.notify_all()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until nothing is queued or running (tests, the bench)."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._pending, timeout)

    def _on_event(self, ev: events.DomainEvent) -> None:
        # Runs in the committing thread (maybe an event loop's): only hand the id over.
        if ev.name == "version.created" or ev.payload.get("state") == "QUEUED":
            self.submit(int(ev.payload["version_id"]))

    def _run(self, version_id: int) -> None:
        with self._lock:
            self._running.add(version_id)
        try:
            media_pipeline.process_version(
                version_id,
                storage=self._storage,
                uow=self._uow,
                settings=self._settings,
                holder=self.holder,
            )
        except Exception:
            log.exception("media pipeline: version %s", version_id)
        finally:
            with self._lock:
                self._running.discard(version_id)
                self._pending.discard(version_id)
                self._idle.notify_all()

    def _beat(self) -> None:
        while not self._stopping.wait(self._heartbeat_seconds):
            self.heartbeat()

    def heartbeat(self) -> None:
        """Renew our leases, then requeue what a stopped process left (their events submit
        them, here or in another process)."""
        try:
            with self._lock:
                running = sorted(self._running)
            with self._uow() as s:
                if running:
                    media_pipeline.renew_leases(s, version_ids=running, holder=self.holder)
            with self._uow() as s:
                media_pipeline.requeue_abandoned(s)
        except Exception:
            log.exception("media pipeline: heartbeat failed")

    def _sweep(self) -> None:
        try:
            if isinstance(self._storage, LocalDiskStorage):
                self._storage.remove_stale_partials()
            with self._uow() as s:
                if self._recover:
                    media_pipeline.requeue_interrupted(s)  # their events submit them
                queued = media_pipeline.queued_version_ids(s)
            for version_id in queued:
                self.submit(version_id)
        except Exception:
            log.exception("media pipeline: startup sweep failed")


@contextlib.asynccontextmanager
async def media_pipeline_lifespan():
    """Reflex lifespan task: run the pipeline while the backend runs."""
    settings = get_settings()
    # With Redis, Reflex runs several backend processes: one of them may be processing a
    # version right now, so only a lone process puts PROCESSING versions back in the queue.
    runner = MediaPipelineRunner(
        max_workers=settings.media_workers,
        recover_interrupted=settings.redis_url is None,
        settings=settings,
    )
    runner.start()
    try:
        yield runner
    finally:
        await anyio.to_thread.run_sync(functools.partial(runner.stop, wait=True))
