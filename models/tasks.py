from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import created_at_field, enum_column, fk, utcnow
from models.enums import Priority, TaskStatus


class Task(SQLModel, table=True):
    """The core production object: belongs to exactly one shot or one asset."""

    __tablename__ = "task"
    __table_args__ = (
        sa.CheckConstraint(
            "(shot_id IS NOT NULL AND asset_id IS NULL) OR (shot_id IS NULL AND asset_id IS NOT NULL)",
            name="ck_task_shot_xor_asset",
        ),
        sa.CheckConstraint("estimated_hours IS NULL OR estimated_hours >= 0", name="ck_task_hours"),
        sa.CheckConstraint("last_version_number >= 0", name="ck_task_version_counter"),
        sa.Index("ix_task_board", "project_id", "status", "sort_order"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Denormalised from the shot/asset so a project board is one indexed query.
    project_id: int = fk("project.id", nullable=False, ondelete="CASCADE", index=False)
    title: str = Field(max_length=200, nullable=False)
    description: str = Field(default="", nullable=False)
    # A plain string: known values are models.enums.TaskType, custom ones may come later.
    type: str = Field(max_length=32, nullable=False)
    status: TaskStatus = enum_column(TaskStatus, default=TaskStatus.TODO)
    priority: Priority = enum_column(Priority, default=Priority.NORMAL)
    due_date: date | None = Field(default=None, index=True)
    estimated_hours: float | None = Field(default=None)
    sort_order: float = Field(default=0.0, nullable=False)
    shot_id: int | None = fk("shot.id", ondelete="CASCADE")
    asset_id: int | None = fk("asset.id", ondelete="CASCADE")
    assigned_artist_id: int | None = fk("user_account.id", ondelete="SET NULL")
    assigned_supervisor_id: int | None = fk("user_account.id", ondelete="SET NULL")
    created_by_id: int | None = fk("user_account.id", ondelete="SET NULL")
    # Highest version number ever given on this task; bumped atomically, never reused.
    last_version_number: int = Field(default=0, nullable=False)
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)


class TaskWatcher(SQLModel, table=True):
    __tablename__ = "task_watcher"

    task_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("task.id", ondelete="CASCADE"), primary_key=True
        )
    )
    user_id: int = Field(
        sa_column=sa.Column(
            sa.Integer,
            sa.ForeignKey("user_account.id", ondelete="CASCADE"),
            primary_key=True,
            index=True,
        )
    )
    added_at: datetime = created_at_field()


class TaskTemplate(SQLModel, table=True):
    """A named set of task types applied to shots or assets in one go."""

    __tablename__ = "task_template"
    __table_args__ = (
        sa.CheckConstraint("applies_to IN ('SHOT', 'ASSET')", name="ck_template_applies_to"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, nullable=False, unique=True)
    applies_to: str = Field(max_length=8, nullable=False)
    task_types: list[str] = Field(
        default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False)
    )
    created_at: datetime = created_at_field()
