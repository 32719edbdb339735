"""The status lifecycle and its automations, over the whole table."""

from __future__ import annotations

import pytest
from sqlmodel import select

from models import Activity, Task, TaskStatus
from services import tasks, workflow
from services.workflow import Trigger

ALL = [s.value for s in TaskStatus]

# trigger → status the task ends in, from each starting status. Written out by hand from the
# spec ("Upload Version → INTERNAL_REVIEW, Share With Client → CLIENT_REVIEW, Client Approves →
# DONE, Client Requests Changes → CHANGES"; an internal approval marks the version ready to
# share: work not yet in review comes back to Internal Review, a task with the client or done
# stays), not computed from services.workflow.
EXPECTED = {
    Trigger.VERSION_UPLOADED: dict.fromkeys(ALL, "INTERNAL_REVIEW"),
    Trigger.SHARED_WITH_CLIENT: dict.fromkeys(ALL, "CLIENT_REVIEW"),
    Trigger.INTERNAL_APPROVED: {
        "TODO": "INTERNAL_REVIEW",
        "IN_PROGRESS": "INTERNAL_REVIEW",
        "INTERNAL_REVIEW": "INTERNAL_REVIEW",
        "CLIENT_REVIEW": "CLIENT_REVIEW",
        "CHANGES": "INTERNAL_REVIEW",
        "DONE": "DONE",
    },
    Trigger.INTERNAL_CHANGES_REQUESTED: dict.fromkeys(ALL, "CHANGES"),
    Trigger.CLIENT_APPROVED: dict.fromkeys(ALL, "DONE"),
    Trigger.CLIENT_CHANGES_REQUESTED: dict.fromkeys(ALL, "CHANGES"),
}

CELLS = [(trigger, start, end) for trigger, row in EXPECTED.items() for start, end in row.items()]


def test_the_expected_table_covers_every_trigger_and_status():
    assert set(EXPECTED) == set(Trigger) == set(workflow.AUTOMATIONS)
    assert all(set(row) == set(ALL) for row in EXPECTED.values())


@pytest.mark.parametrize(("trigger", "start", "end"), CELLS)
def test_status_after_trigger(trigger, start, end):
    assert workflow.status_after(trigger, TaskStatus(start)) is TaskStatus(end)


@pytest.mark.parametrize(("trigger", "start", "end"), CELLS)
def test_apply_trigger_moves_a_stored_task(uow, prod, trigger, start, end, delivered):
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status=start)
    delivered.clear()
    with uow() as s:
        task = s.get(Task, prod.task.id)
        changed = tasks.apply_trigger(s, task=task, trigger=trigger, actor=None, actor_name="Bot")
    assert changed is (start != end)
    with uow() as s:
        assert s.get(Task, prod.task.id).status.value == end
        last = s.exec(
            select(Activity.text)
            .where(Activity.task_id == prod.task.id)
            .order_by(Activity.id.desc())
        ).first()
    status_events = [e for e in delivered if e.name == "task.status_changed"]
    if start == end:
        assert status_events == []
    else:
        [event] = status_events
        assert (event.payload["from_status"], event.payload["to_status"]) == (start, end)
        assert event.payload["actor_id"] is None
        assert last == f"Bot moved {prod.shot.code} COMP to {workflow.label(end)}"


def test_automation_puts_the_card_at_the_end_of_its_new_column(uow, prod):
    with uow() as s:
        waiting = tasks.create_task(
            s, actor=prod.producer, type="TRACK", shot_id=prod.shot.id, status="DONE"
        )
        task = s.get(Task, prod.task.id)
        tasks.apply_trigger(s, task=task, trigger=Trigger.CLIENT_APPROVED, actor=prod.producer)
        done = tasks.list_tasks(
            s, actor=prod.producer, project_id=prod.project.id, statuses=["DONE"]
        )
    assert [t.id for t in done] == [waiting.id, prod.task.id]


def test_lifecycle_order():
    assert [s.value for s in workflow.LIFECYCLE] == [
        "TODO",
        "IN_PROGRESS",
        "INTERNAL_REVIEW",
        "CLIENT_REVIEW",
        "CHANGES",
        "DONE",
    ]


@pytest.mark.parametrize(
    ("status", "text"),
    [
        ("TODO", "Todo"),
        ("IN_PROGRESS", "In Progress"),
        ("INTERNAL_REVIEW", "Internal Review"),
        ("CLIENT_REVIEW", "Client Review"),
        ("CHANGES", "Changes"),
        ("DONE", "Done"),
    ],
)
def test_status_labels(status, text):
    assert workflow.label(status) == text
    assert workflow.label(TaskStatus(status)) == text


@pytest.mark.parametrize("status", ALL)
def test_only_done_is_closed(status):
    assert workflow.is_open(TaskStatus(status)) is (status != "DONE")
