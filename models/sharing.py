from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import created_at_field, fk


class ReviewSession(SQLModel, table=True):
    """A client review link. The token is shown once; only its SHA-256 is stored."""

    __tablename__ = "review_session"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = fk("project.id", nullable=False, ondelete="CASCADE")
    name: str = Field(max_length=200, nullable=False)
    token_hash: str = Field(sa_column=sa.Column(sa.String(64), nullable=False, unique=True))
    expires_at: datetime | None = Field(default=None)
    password_hash: str | None = Field(default=None)
    revoked_at: datetime | None = Field(default=None)
    notify_client: bool = Field(default=True, nullable=False)
    created_by_id: int | None = fk("user_account.id", ondelete="SET NULL", index=False)
    created_at: datetime = created_at_field()


class ReviewSessionVersion(SQLModel, table=True):
    """Which versions a review session exposes."""

    __tablename__ = "review_session_version"

    review_session_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("review_session.id", ondelete="CASCADE"), primary_key=True
        )
    )
    version_id: int = Field(
        sa_column=sa.Column(
            sa.Integer,
            sa.ForeignKey("version.id", ondelete="CASCADE"),
            primary_key=True,
            index=True,
        )
    )
    added_at: datetime = created_at_field()
    added_by_id: int | None = fk("user_account.id", ondelete="SET NULL", index=False)
