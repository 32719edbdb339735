"""The task lifecycle and its automations, in one table.

    TODO → IN_PROGRESS → INTERNAL_REVIEW → CLIENT_REVIEW → CHANGES → DONE

Staff may put a task in any status (a kanban drag). The automations say which status a review
event moves a task to.
"""

from __future__ import annotations

import enum

from models.enums import TaskStatus

LIFECYCLE: tuple[TaskStatus, ...] = (
    TaskStatus.TODO,
    TaskStatus.IN_PROGRESS,
    TaskStatus.INTERNAL_REVIEW,
    TaskStatus.CLIENT_REVIEW,
    TaskStatus.CHANGES,
    TaskStatus.DONE,
)

STATUS_LABELS: dict[TaskStatus, str] = {
    TaskStatus.TODO: "Todo",
    TaskStatus.IN_PROGRESS: "In Progress",
    TaskStatus.INTERNAL_REVIEW: "Internal Review",
    TaskStatus.CLIENT_REVIEW: "Client Review",
    TaskStatus.CHANGES: "Changes",
    TaskStatus.DONE: "Done",
}


class Trigger(str, enum.Enum):
    VERSION_UPLOADED = "VERSION_UPLOADED"
    SHARED_WITH_CLIENT = "SHARED_WITH_CLIENT"
    INTERNAL_APPROVED = "INTERNAL_APPROVED"
    INTERNAL_CHANGES_REQUESTED = "INTERNAL_CHANGES_REQUESTED"
    CLIENT_APPROVED = "CLIENT_APPROVED"
    CLIENT_CHANGES_REQUESTED = "CLIENT_CHANGES_REQUESTED"


# Trigger → the status it moves the task to; None keeps the current status.
AUTOMATIONS: dict[Trigger, TaskStatus | None] = {
    Trigger.VERSION_UPLOADED: TaskStatus.INTERNAL_REVIEW,
    Trigger.SHARED_WITH_CLIENT: TaskStatus.CLIENT_REVIEW,
    Trigger.INTERNAL_APPROVED: None,  # approved internally: ready to share, status unchanged
    Trigger.INTERNAL_CHANGES_REQUESTED: TaskStatus.CHANGES,
    Trigger.CLIENT_APPROVED: TaskStatus.DONE,
    Trigger.CLIENT_CHANGES_REQUESTED: TaskStatus.CHANGES,
}


def status_after(trigger: Trigger, current: TaskStatus) -> TaskStatus:
    target = AUTOMATIONS[trigger]
    return current if target is None else target


def is_open(status: TaskStatus) -> bool:
    return status is not TaskStatus.DONE


def label(status: TaskStatus | str) -> str:
    return STATUS_LABELS[TaskStatus(status)]
