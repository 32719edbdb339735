"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from models.assets import Asset
from models.enums import (
    ApprovalDecision,
    ApprovalStage,
    CommentVisibility,
    ItemStatus,
    NotificationType,
    OutboxChannel,
    OutboxState,
    Priority,
    ProcessingState,
    ProjectStatus,
    Role,
    TaskStatus,
    TaskType,
)
from models.notifications import Activity, Notification, OutboxMessage
from models.projects import Project, ProjectMember
from models.reviews import Annotation, Approval, Comment
from models.sharing import ReviewSession, ReviewSessionVersion
from models.shots import Shot
from models.tasks import Task, TaskTemplate, TaskWatcher
from models.users import LoginSession, User
from models.versions import Version

__all__ = [
    "Activity",
    "Annotation",
    "Approval",
    "ApprovalDecision",
    "ApprovalStage",
    "Asset",
    "Comment",
    "CommentVisibility",
    "ItemStatus",
    "LoginSession",
    "Notification",
    "NotificationType",
    "OutboxChannel",
    "OutboxMessage",
    "OutboxState",
    "Priority",
    "ProcessingState",
    "Project",
    "ProjectMember",
    "ProjectStatus",
    "ReviewSession",
    "ReviewSessionVersion",
    "Role",
    "Shot",
    "Task",
    "TaskStatus",
    "TaskTemplate",
    "TaskType",
    "TaskWatcher",
    "User",
    "Version",
]
