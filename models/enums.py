"""Enumerations of the studio's vocabulary.

Stored as strings (VARCHAR), never as native database enums, so a value can be
added without a type migration. TaskType is stored as a plain string column so
studios can add custom task types later without rewriting rows.
"""

import enum


class Role(str, enum.Enum):
    ADMIN = "ADMIN"
    PRODUCER = "PRODUCER"
    SUPERVISOR = "SUPERVISOR"
    ARTIST = "ARTIST"
    CLIENT = "CLIENT"


STAFF_ROLES = frozenset({Role.ADMIN, Role.PRODUCER, Role.SUPERVISOR})


class TaskStatus(str, enum.Enum):
    TODO = "TODO"
    IN_PROGRESS = "IN_PROGRESS"
    INTERNAL_REVIEW = "INTERNAL_REVIEW"
    CLIENT_REVIEW = "CLIENT_REVIEW"
    CHANGES = "CHANGES"
    DONE = "DONE"


class TaskType(str, enum.Enum):
    TRACK = "TRACK"
    ROTO = "ROTO"
    KEY = "KEY"
    COMP = "COMP"
    FX = "FX"
    LIGHTING = "LIGHTING"
    RENDER = "RENDER"
    ANIMATION = "ANIMATION"
    MODEL = "MODEL"
    TEXTURE = "TEXTURE"
    RIG = "RIG"
    LOOKDEV = "LOOKDEV"
    GENERAL = "GENERAL"


class Priority(str, enum.Enum):
    LOW = "LOW"
    NORMAL = "NORMAL"
    HIGH = "HIGH"
    URGENT = "URGENT"


class ProjectStatus(str, enum.Enum):
    """Whether the show is running. Archiving a finished show is `project.archived_at`
    (services.projects.archive_project), not a status: migration 0008 moved ARCHIVED there."""

    ACTIVE = "ACTIVE"
    ON_HOLD = "ON_HOLD"


class ItemStatus(str, enum.Enum):
    """Status of a shot or an asset as a whole (its tasks carry the detail)."""

    ACTIVE = "ACTIVE"
    ON_HOLD = "ON_HOLD"
    FINAL = "FINAL"
    OMITTED = "OMITTED"


class ProcessingState(str, enum.Enum):
    QUEUED = "QUEUED"
    PROCESSING = "PROCESSING"
    READY = "READY"
    FAILED = "FAILED"


class CommentVisibility(str, enum.Enum):
    INTERNAL = "INTERNAL"
    CLIENT = "CLIENT"


class ApprovalDecision(str, enum.Enum):
    APPROVED = "APPROVED"
    CHANGES_REQUESTED = "CHANGES_REQUESTED"


class ApprovalStage(str, enum.Enum):
    INTERNAL = "INTERNAL"
    CLIENT = "CLIENT"


class NotificationType(str, enum.Enum):
    TASK_ASSIGNED = "TASK_ASSIGNED"
    TASK_OVERDUE = "TASK_OVERDUE"
    TASK_APPROVED = "TASK_APPROVED"
    TASK_CHANGES_REQUESTED = "TASK_CHANGES_REQUESTED"
    TASK_READY_FOR_REVIEW = "TASK_READY_FOR_REVIEW"
    COMMENT_ADDED = "COMMENT_ADDED"
    VERSION_SHARED = "VERSION_SHARED"


class OutboxChannel(str, enum.Enum):
    SLACK = "SLACK"
    EMAIL = "EMAIL"


class OutboxState(str, enum.Enum):
    PENDING = "PENDING"
    SENT = "SENT"
    FAILED = "FAILED"
