from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import created_at_field, enum_column, fk
from models.enums import ProcessingState


class Version(SQLModel, table=True):
    """One upload of work. Belongs to a task (optionally) and keeps its shot/asset for overviews."""

    __tablename__ = "version"
    __table_args__ = (
        sa.UniqueConstraint("task_id", "number", name="uq_version_task_number"),
        sa.CheckConstraint("number >= 1", name="ck_version_number_positive"),
        sa.CheckConstraint(
            "NOT (shot_id IS NOT NULL AND asset_id IS NOT NULL)", name="ck_version_parent"
        ),
        sa.Index("ix_version_task_created", "task_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = fk("project.id", nullable=False, ondelete="CASCADE")
    task_id: int | None = fk("task.id", ondelete="CASCADE", index=False)
    shot_id: int | None = fk("shot.id", ondelete="CASCADE")
    asset_id: int | None = fk("asset.id", ondelete="CASCADE")
    number: int = Field(nullable=False)
    uploaded_by_id: int | None = fk("user_account.id", ondelete="SET NULL")
    original_filename: str = Field(default="", max_length=255, nullable=False)
    original_key: str | None = Field(default=None, max_length=500)
    proxy_key: str | None = Field(default=None, max_length=500)
    thumbnail_key: str | None = Field(default=None, max_length=500)
    poster_key: str | None = Field(default=None, max_length=500)
    file_size: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    width: int | None = Field(default=None)
    height: int | None = Field(default=None)
    fps: float | None = Field(default=None)
    frame_count: int | None = Field(default=None)
    duration: float | None = Field(default=None)
    codec: str | None = Field(default=None, max_length=64)
    processing_state: ProcessingState = enum_column(ProcessingState, default=ProcessingState.QUEUED)
    processing_error: str | None = Field(default=None)
    description: str = Field(default="", nullable=False)
    is_client_visible: bool = Field(default=False, nullable=False)
    shared_at: datetime | None = Field(default=None)
    shared_by_id: int | None = fk("user_account.id", ondelete="SET NULL", index=False)
    created_at: datetime = created_at_field()
