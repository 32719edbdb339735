"""Background jobs in the app's process: APScheduler's BackgroundScheduler (a thread).

- the overdue job (services.overdue) every FEEDBACK_OVERDUE_INTERVAL_MINUTES, run by one
  process only: the holder of the "overdue" database lease (services.leases), which every
  process tries to take and the holder renews every HEARTBEAT, so with several backend workers
  exactly one runs it, and another takes over within LEASE_TTL when that one stops;
- the outbox worker (services.outbox) every FEEDBACK_OUTBOX_INTERVAL_SECONDS in every process:
  its claims already keep two workers off the same message.

`start_scheduler()` is called at the app's lifespan (feedback_app/app.py, `lifespan`); it is
idempotent per process, and FEEDBACK_SCHEDULER=0 turns it off.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from datetime import date, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from models import OutboxChannel
from models.base import utcnow
from services import leases, notifications, outbox, overdue
from services.db import session_scope
from services.outbox import DeliveryReport, Sender, SessionFactory
from services.overdue import OverdueRun
from services.settings import Settings, get_settings

log = logging.getLogger(__name__)

OVERDUE_LEASE = "overdue"
LEASE_TTL = timedelta(seconds=90)
HEARTBEAT = timedelta(seconds=30)


def new_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Jobs:
    """The scheduler's jobs, callable without a scheduler (tests, a one-off run)."""

    def __init__(
        self,
        *,
        session_factory: SessionFactory = session_scope,
        holder: str | None = None,
        today: Callable[[], date] = date.today,  # the studio's day: the server's local date
        senders: Mapping[OutboxChannel, Sender] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ):
        self.session_factory = session_factory
        self.holder = holder or new_holder()
        self.today = today
        self.senders = senders
        self.clock = clock

    def heartbeat(self) -> bool:
        """Take or renew the overdue lease; True while this process holds it."""
        with self.session_factory() as s:
            return leases.acquire(
                s, name=OVERDUE_LEASE, holder=self.holder, ttl=LEASE_TTL, now=self.clock()
            )

    def run_overdue(self) -> OverdueRun | None:
        """The overdue job, if this process holds the lease (None when another one does)."""
        if not self.heartbeat():
            return None
        with self.session_factory() as s:
            run = overdue.send_overdue(s, today=self.today())
        if run.tasks:
            log.info("overdue job: %s task(s), %s notification(s)", run.tasks, run.notifications)
        return run

    def deliver_outbox(self) -> DeliveryReport:
        return outbox.deliver_due(self.session_factory, self.clock(), senders=self.senders)

    def release(self) -> None:
        with self.session_factory() as s:
            leases.release(s, name=OVERDUE_LEASE, holder=self.holder, now=self.clock())


_lock = threading.Lock()
_running: tuple[BackgroundScheduler, Jobs] | None = None


def build_scheduler(jobs: Jobs, settings: Settings) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(
        daemon=True,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
    )
    now = datetime.now().astimezone()
    scheduler.add_job(
        jobs.heartbeat, "interval", seconds=HEARTBEAT.total_seconds(), id="lease-heartbeat"
    )
    # first overdue run right away: a restart or deploy does not wait a whole interval
    scheduler.add_job(
        jobs.run_overdue,
        "interval",
        minutes=settings.overdue_interval_minutes,
        id="overdue",
        next_run_time=now,
    )
    scheduler.add_job(
        jobs.deliver_outbox,
        "interval",
        seconds=settings.outbox_interval_seconds,
        id="outbox",
        next_run_time=now,
    )
    return scheduler


def start_scheduler(
    *, settings: Settings | None = None, jobs: Jobs | None = None
) -> BackgroundScheduler | None:
    """Start this process's scheduler (once; later calls return the running one). None when
    FEEDBACK_SCHEDULER=0."""
    global _running
    settings = settings or get_settings()
    with _lock:
        if _running is not None:
            return _running[0]
        if not settings.scheduler_enabled:
            log.info("scheduler off (FEEDBACK_SCHEDULER=0)")
            return None
        jobs = jobs or Jobs()
        scheduler = build_scheduler(jobs, settings)
        scheduler.start()
        _running = (scheduler, jobs)
        log.info(
            "scheduler started as %s: overdue every %s min, outbox every %s s",
            jobs.holder,
            settings.overdue_interval_minutes,
            settings.outbox_interval_seconds,
        )
        return scheduler


def stop_scheduler() -> None:
    """Stop this process's scheduler and hand the overdue lease over at once."""
    global _running
    with _lock:
        if _running is None:
            return
        scheduler, jobs = _running
        _running = None
    scheduler.shutdown(wait=True)
    try:
        jobs.release()
    except Exception:  # the database may already be gone at shutdown; the lease just expires
        log.exception("could not release the overdue lease")


@contextlib.asynccontextmanager
async def lifespan() -> AsyncIterator[None]:
    """For rx.App.register_lifespan_task: notifications on, scheduler running, for the app's
    whole life."""
    notifications.install()
    await asyncio.to_thread(start_scheduler)
    try:
        yield
    finally:
        await asyncio.to_thread(stop_scheduler)
