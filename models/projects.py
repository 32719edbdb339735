from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import created_at_field, enum_column, utcnow
from models.enums import ProjectStatus


class Project(SQLModel, table=True):
    __tablename__ = "project"
    __table_args__ = (
        sa.CheckConstraint("fps > 0", name="ck_project_fps_positive"),
        sa.CheckConstraint("start_frame >= 0", name="ck_project_start_frame"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=sa.Column(sa.String(32), nullable=False, unique=True))
    name: str = Field(max_length=200, nullable=False)
    description: str = Field(default="", nullable=False)
    fps: float = Field(default=24.0, nullable=False)
    start_frame: int = Field(default=1001, nullable=False)
    resolution_width: int = Field(default=1920, nullable=False)
    resolution_height: int = Field(default=1080, nullable=False)
    status: ProjectStatus = enum_column(ProjectStatus, default=ProjectStatus.ACTIVE)
    slack_channel: str | None = Field(default=None, max_length=120)
    slack_webhook_url: str | None = Field(default=None, max_length=500)
    client_emails: str = Field(default="", nullable=False)  # comma separated client contacts
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)
    # Set while the show is archived (services.projects.archive_project): left out of the
    # studio's lists, dashboards, workload views and the bell; everything else is unchanged.
    archived_at: datetime | None = Field(default=None)


class ProjectMember(SQLModel, table=True):
    """Which users belong to which project (CLIENTs above all: they see only their projects)."""

    __tablename__ = "project_member"

    project_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("project.id", ondelete="CASCADE"), primary_key=True
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
