from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import created_at_field, enum_column, fk
from models.enums import NotificationType, OutboxChannel, OutboxState


class Notification(SQLModel, table=True):
    __tablename__ = "notification"
    __table_args__ = (sa.Index("ix_notification_user_unread", "user_id", "read_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = fk("user_account.id", nullable=False, ondelete="CASCADE", index=False)
    type: NotificationType = enum_column(NotificationType)
    payload: dict = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    created_at: datetime = created_at_field()
    read_at: datetime | None = Field(default=None)


class Activity(SQLModel, table=True):
    """Who did what, in a plain sentence ("Client approved SH010 COMP v004")."""

    __tablename__ = "activity"
    __table_args__ = (sa.Index("ix_activity_project_created", "project_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = fk("project.id", nullable=False, ondelete="CASCADE", index=False)
    actor_id: int | None = fk("user_account.id", ondelete="SET NULL", index=False)
    actor_name: str = Field(default="", max_length=120, nullable=False)
    verb: str = Field(max_length=64, nullable=False)
    target_type: str = Field(max_length=32, nullable=False)
    target_id: int | None = Field(default=None)
    task_id: int | None = fk("task.id", ondelete="CASCADE")
    text: str = Field(nullable=False)
    created_at: datetime = created_at_field()


class OutboxMessage(SQLModel, table=True):
    """An outgoing Slack or email delivery, written in the use case's transaction and sent after
    commit by a worker, with retries. dedupe_key makes a message go out at most once."""

    __tablename__ = "outbox_message"
    __table_args__ = (sa.Index("ix_outbox_due", "state", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: OutboxChannel = enum_column(OutboxChannel)
    dedupe_key: str = Field(sa_column=sa.Column(sa.String(200), nullable=False, unique=True))
    payload: dict = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    state: OutboxState = enum_column(OutboxState, default=OutboxState.PENDING)
    attempts: int = Field(default=0, nullable=False)
    next_attempt_at: datetime = created_at_field()
    last_error: str | None = Field(default=None)
    project_id: int | None = fk("project.id", ondelete="CASCADE")
    created_at: datetime = created_at_field()
    sent_at: datetime | None = Field(default=None)


class NotificationPreference(SQLModel, table=True):
    """A user's choice of Slack and email for one notification type. No row means the type's
    default (services.notification_preferences.DEFAULTS); in-app is always on."""

    __tablename__ = "notification_preference"

    user_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
        )
    )
    type: NotificationType = enum_column(NotificationType, primary_key=True)
    slack: bool = Field(nullable=False)
    email: bool = Field(nullable=False)
    updated_at: datetime = created_at_field()


class OverdueNotice(SQLModel, table=True):
    """TASK_OVERDUE went out for this task and this due date: once per due date, so moving the
    due date re-arms the notice while running the job again sends nothing."""

    __tablename__ = "overdue_notice"

    task_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("task.id", ondelete="CASCADE"), primary_key=True
        )
    )
    due_date: date = Field(sa_column=sa.Column(sa.Date, primary_key=True))
    sent_at: datetime = created_at_field()
