from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import created_at_field, enum_column, fk, utcnow
from models.enums import ItemStatus, Priority


class Shot(SQLModel, table=True):
    __tablename__ = "shot"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "code", name="uq_shot_project_code"),
        sa.CheckConstraint(
            "frame_in IS NULL OR frame_out IS NULL OR frame_out >= frame_in",
            name="ck_shot_frame_range",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = fk("project.id", nullable=False, ondelete="CASCADE")
    code: str = Field(max_length=64, nullable=False)
    name: str = Field(default="", max_length=200, nullable=False)
    description: str = Field(default="", nullable=False)
    status: ItemStatus = enum_column(ItemStatus, default=ItemStatus.ACTIVE)
    priority: Priority = enum_column(Priority, default=Priority.NORMAL)
    frame_in: int | None = Field(default=None)
    frame_out: int | None = Field(default=None)
    due_date: date | None = Field(default=None)
    lead_id: int | None = fk("user_account.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)
