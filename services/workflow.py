"""The task lifecycle and its automations, in one table.

    TODO → IN_PROGRESS → INTERNAL_REVIEW → CLIENT_REVIEW → CHANGES → DONE

Staff may put a task in any status (a kanban drag). The automations say which status a review
event moves a task to, and from which statuses.
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


# Trigger → the status it moves the task to.
AUTOMATIONS: dict[Trigger, TaskStatus] = {
    Trigger.VERSION_UPLOADED: TaskStatus.INTERNAL_REVIEW,
    Trigger.SHARED_WITH_CLIENT: TaskStatus.CLIENT_REVIEW,
    Trigger.INTERNAL_APPROVED: TaskStatus.INTERNAL_REVIEW,  # approved internally: ready to share
    Trigger.INTERNAL_CHANGES_REQUESTED: TaskStatus.CHANGES,
    Trigger.CLIENT_APPROVED: TaskStatus.DONE,
    Trigger.CLIENT_CHANGES_REQUESTED: TaskStatus.CHANGES,
}

# Triggers that move a task only from some statuses; from any other it stays where it is. An
# internal approval brings back work still marked as in progress or sent back (the supervisor
# changed their mind, or approved the fix), but never pulls a task back from the client or
# reopens a finished one. (The caller applies it to the task's newest version only.)
MOVES_FROM: dict[Trigger, frozenset[TaskStatus]] = {
    Trigger.INTERNAL_APPROVED: frozenset(
        {TaskStatus.TODO, TaskStatus.IN_PROGRESS, TaskStatus.CHANGES}
    ),
}


def status_after(trigger: Trigger, current: TaskStatus) -> TaskStatus:
    origins = MOVES_FROM.get(trigger)
    if origins is not None and current not in origins:
        return current
    return AUTOMATIONS[trigger]


def is_open(status: TaskStatus) -> bool:
    return status is not TaskStatus.DONE


def label(status: TaskStatus | str) -> str:
    return STATUS_LABELS[TaskStatus(status)]
