"""The background scheduler: with several processes, one runs the overdue job (the database
lease decides) and another takes over when it stops; the interval comes from the environment."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlmodel import select

from integrations import scheduler
from integrations.scheduler import Jobs
from models import Notification
from services import leases, notifications, tasks
from services.db import session_scope
from services.settings import get_settings

PAST = date(2026, 1, 5)


@pytest.fixture
def factory(db_url):
    return lambda: session_scope(db_url)


@pytest.fixture
def late_task(uow, prod):
    with uow() as s:
        tasks.set_due_date(s, actor=prod.producer, task_id=prod.task.id, due_date=PAST)
    return prod.task


@pytest.fixture(autouse=True)
def _no_scheduler_left_running():
    yield
    scheduler.stop_scheduler()


def jobs(factory, holder: str) -> Jobs:
    return Jobs(session_factory=factory, holder=holder, today=lambda: date(2026, 2, 1), senders={})


def overdue_count(uow) -> int:
    with uow() as s:
        return len(s.exec(select(Notification).where(Notification.type == "TASK_OVERDUE")).all())


def test_of_two_schedulers_only_the_lease_holder_runs_the_overdue_job(uow, factory, late_task):
    a, b = jobs(factory, "worker-a"), jobs(factory, "worker-b")

    ran_a, ran_b = a.run_overdue(), b.run_overdue()

    assert (ran_a.tasks, ran_b) == (1, None)
    assert b.heartbeat() is False and a.heartbeat() is True


def test_another_scheduler_takes_over_when_the_holder_stops(uow, factory, late_task):
    a, b = jobs(factory, "worker-a"), jobs(factory, "worker-b")
    a.run_overdue()

    a.release()

    assert b.run_overdue() is not None
    assert a.run_overdue() is None
    assert overdue_count(uow) == 2  # artist and supervisor, once


def test_a_holder_that_vanishes_is_replaced_after_the_lease_expires(uow, factory):
    t0 = scheduler.utcnow()
    a = Jobs(session_factory=factory, holder="a", clock=lambda: t0)
    later = Jobs(session_factory=factory, holder="b", clock=lambda: t0 + scheduler.LEASE_TTL)
    assert a.heartbeat()

    assert later.heartbeat() is True


def test_two_running_schedulers_run_the_overdue_job_in_one_process(uow, factory, late_task):
    settings = dataclasses.replace(
        get_settings(), overdue_interval_minutes=0.2 / 60, outbox_interval_seconds=0.2
    )
    runs: Counter[str] = Counter()
    lock = threading.Lock()

    class Counting(Jobs):
        def run_overdue(self):
            result = super().run_overdue()
            if result is not None:
                with lock:
                    runs[self.holder] += 1
            return result

    running = [
        scheduler.build_scheduler(Counting(session_factory=factory, holder=h, senders={}), settings)
        for h in ("worker-a", "worker-b")
    ]
    for s in running:
        s.start()
    time.sleep(1.5)
    for s in running:
        s.shutdown(wait=True)

    assert len(runs) == 1 and sum(runs.values()) >= 3, runs
    assert overdue_count(uow) == 2


def test_start_scheduler_reads_the_intervals_from_the_environment(db_url, factory, monkeypatch):
    monkeypatch.setenv("FEEDBACK_OVERDUE_INTERVAL_MINUTES", "7")
    monkeypatch.setenv("FEEDBACK_OUTBOX_INTERVAL_SECONDS", "3")

    running = scheduler.start_scheduler(jobs=Jobs(session_factory=factory, holder="me"))

    assert running is scheduler.start_scheduler()  # once per process
    assert running.get_job("overdue").trigger.interval == timedelta(minutes=7)
    assert running.get_job("outbox").trigger.interval == timedelta(seconds=3)
    scheduler.stop_scheduler()
    assert not running.running
    with session_scope(db_url) as s:
        assert leases.holder_of(s, scheduler.OVERDUE_LEASE) is None  # handed over at stop


def test_the_scheduler_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("FEEDBACK_SCHEDULER", "0")

    assert scheduler.start_scheduler() is None


def test_the_app_lifespan_installs_notifications_and_runs_the_scheduler(db_url, monkeypatch):
    monkeypatch.setenv("FEEDBACK_OUTBOX_INTERVAL_SECONDS", "60")
    seen = {}

    async def live():
        async with scheduler.lifespan():
            seen["installed"] = notifications.installed()
            seen["running"] = scheduler._running is not None
        seen["stopped"] = scheduler._running is None

    try:
        # a loop of its own: the browser tests may leave one running in this thread
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, live()).result(timeout=30)
    finally:
        notifications.uninstall()

    assert seen == {"installed": True, "running": True, "stopped": True}
