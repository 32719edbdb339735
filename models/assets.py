from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import created_at_field, enum_column, fk, utcnow
from models.enums import ItemStatus, Priority


class Asset(SQLModel, table=True):
    """Behaves like a shot: belongs to a project, contains tasks."""

    __tablename__ = "asset"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "asset_code", name="uq_asset_project_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = fk("project.id", nullable=False, ondelete="CASCADE")
    asset_code: str = Field(max_length=64, nullable=False)
    name: str = Field(default="", max_length=200, nullable=False)
    description: str = Field(default="", nullable=False)
    status: ItemStatus = enum_column(ItemStatus, default=ItemStatus.ACTIVE)
    priority: Priority = enum_column(Priority, default=Priority.NORMAL)
    assigned_lead_id: int | None = fk("user_account.id", ondelete="SET NULL")
    due_date: date | None = Field(default=None)
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)
