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
from models.notifications import (
    Activity,
    Notification,
    NotificationPreference,
    OutboxMessage,
    OverdueNotice,
)
from models.projects import Project, ProjectMember
from models.reviews import Annotation, Approval, Comment
from models.scheduling import SchedulerLease
from models.sharing import ReviewGuest, ReviewSession, ReviewSessionVersion
from models.shots import Shot
from models.tasks import Task, TaskTemplate, TaskWatcher
from models.users import LoginSession, LoginThrottle, User
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
    "LoginThrottle",
    "Notification",
    "NotificationPreference",
    "NotificationType",
    "OutboxChannel",
    "OutboxMessage",
    "OutboxState",
    "OverdueNotice",
    "Priority",
    "ProcessingState",
    "Project",
    "ProjectMember",
    "ProjectStatus",
    "ReviewGuest",
    "ReviewSession",
    "ReviewSessionVersion",
    "Role",
    "SchedulerLease",
    "Shot",
    "Task",
    "TaskStatus",
    "TaskTemplate",
    "TaskType",
    "TaskWatcher",
    "User",
    "Version",
]
