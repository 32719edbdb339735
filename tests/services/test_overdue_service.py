"""The overdue job: once per task and due date, to artist and supervisor; moving the due date
re-arms it; DONE tasks, tasks due today and archived projects are left alone."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta

import pytest
from sqlmodel import select

from models import Notification, OverdueNotice
from services import overdue, projects, tasks
from services.overdue import OverdueRun
from tests.factories import make_production, make_task, make_user

TODAY = date(2026, 11, 26)
LAST_WEEK = TODAY - timedelta(days=7)


@pytest.fixture
def late(uow):
    """The production's COMP task on SH010, due last week, watched by someone."""
    with uow() as s:
        prod = make_production(s, shot_code="SH010")
        watcher = make_user(s, role="ARTIST")
        tasks.set_watchers(s, actor=prod.producer, task_id=prod.task.id, user_ids=[watcher.id])
        tasks.set_due_date(s, actor=prod.producer, task_id=prod.task.id, due_date=LAST_WEEK)
    return prod


def run(uow, today=TODAY) -> OverdueRun:
    with uow() as s:
        return overdue.send_overdue(s, today=today)


def overdue_notifications(uow) -> list[Notification]:
    with uow() as s:
        return list(
            s.exec(
                select(Notification)
                .where(Notification.type == "TASK_OVERDUE")
                .order_by(Notification.id)
            )
        )


def test_an_overdue_task_notifies_its_artist_and_supervisor(uow, late):
    assert run(uow) == OverdueRun(tasks=1, notifications=2)

    rows = overdue_notifications(uow)
    assert sorted(n.user_id for n in rows) == sorted([late.artist.id, late.supervisor.id])
    assert {n.payload["text"] for n in rows} == {"SH010 COMP task overdue (due Nov 19)"}
    assert {n.payload["link"] for n in rows} == {f"/tasks/{late.task.id}"}


def test_running_the_job_twice_sends_one_notification(uow, late):
    first, second = run(uow), run(uow, TODAY + timedelta(days=1))

    assert (first.tasks, second) == (1, OverdueRun(tasks=0, notifications=0))
    assert len(overdue_notifications(uow)) == 2


def test_moving_the_due_date_rearms_the_notice(uow, late):
    run(uow)
    with uow() as s:
        tasks.set_due_date(
            s, actor=late.producer, task_id=late.task.id, due_date=TODAY + timedelta(days=3)
        )
    assert run(uow) == OverdueRun(0, 0)  # not due yet

    assert run(uow, TODAY + timedelta(days=4)) == OverdueRun(tasks=1, notifications=2)
    texts = [n.payload["text"] for n in overdue_notifications(uow)]
    assert texts[-1] == "SH010 COMP task overdue (due Nov 29)"
    with uow() as s:
        notices = s.exec(select(OverdueNotice.due_date).order_by(OverdueNotice.due_date)).all()
    assert notices == [LAST_WEEK, TODAY + timedelta(days=3)]


def test_done_tasks_are_skipped(uow, late):
    with uow() as s:
        tasks.move(s, actor=late.producer, task_id=late.task.id, status="DONE")

    assert run(uow) == OverdueRun(0, 0)


@pytest.mark.parametrize(
    "status", ["TODO", "IN_PROGRESS", "INTERNAL_REVIEW", "CLIENT_REVIEW", "CHANGES"]
)
def test_every_open_status_counts(uow, late, status):
    with uow() as s:
        tasks.move(s, actor=late.producer, task_id=late.task.id, status=status)

    assert run(uow).tasks == 1


def test_a_task_due_today_is_not_yet_overdue_and_undated_tasks_never_are(uow, late):
    with uow() as s:
        tasks.set_due_date(s, actor=late.producer, task_id=late.task.id, due_date=TODAY)
        make_task(s, late.producer, shot_id=late.shot.id, type="ROTO")  # no due date

    assert run(uow) == OverdueRun(0, 0)
    assert run(uow, TODAY + timedelta(days=1)).tasks == 1


def test_archived_projects_are_left_alone_until_unarchived(uow, late):
    with uow() as s:
        projects.archive_project(s, actor=late.producer, project_id=late.project.id)

    assert run(uow) == OverdueRun(0, 0)

    with uow() as s:
        projects.unarchive_project(s, actor=late.producer, project_id=late.project.id)
    assert run(uow).tasks == 1


def test_an_unassigned_overdue_task_is_noticed_without_notifications(uow, late):
    with uow() as s:
        tasks.assign(
            s, actor=late.producer, task_id=late.task.id, artist_id=None, supervisor_id=None
        )

    assert run(uow) == OverdueRun(tasks=1, notifications=0)
    assert run(uow) == OverdueRun(0, 0)


def test_notifications_announce_themselves_after_the_jobs_commit(uow, late, delivered):
    delivered.clear()
    with uow() as s:
        overdue.send_overdue(s, today=TODAY)
        assert delivered == []

    announced = [e.payload["user_id"] for e in delivered if e.name == "notification.created"]
    assert sorted(announced) == sorted([late.artist.id, late.supervisor.id])


def test_two_overlapping_runs_notify_once(uow, late):
    """The scheduler and `send-overdue` at the same moment: the notice row decides."""
    results: list[OverdueRun] = []
    with uow() as first:
        results.append(overdue.send_overdue(first, today=TODAY))

        def second_run():
            results.append(run(uow))

        racer = threading.Thread(target=second_run)
        racer.start()
        time.sleep(0.3)  # the second run reaches the notice insert and waits on our lock
    racer.join(timeout=30)

    assert sorted(r.tasks for r in results) == [0, 1]
    assert len(overdue_notifications(uow)) == 2
