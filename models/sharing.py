from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import created_at_field, fk


class ReviewSession(SQLModel, table=True):
    """A client review link. Its token is HMAC(secret key, token_salt): the database holds
    only the salt and the token's SHA-256, so a copy of the database opens no link, yet the
    studio can copy the link again later (services.sharing)."""

    __tablename__ = "review_session"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = fk("project.id", nullable=False, ondelete="CASCADE")
    name: str = Field(max_length=200, nullable=False)
    token_hash: str = Field(sa_column=sa.Column(sa.String(64), nullable=False, unique=True))
    expires_at: datetime | None = Field(default=None)
    password_hash: str | None = Field(default=None)
    revoked_at: datetime | None = Field(default=None)
    notify_client: bool = Field(default=True, nullable=False)
    token_salt: str | None = Field(default=None, max_length=64)
    failed_attempts: int = Field(default=0, nullable=False)  # wrong passwords in a row
    locked_until: datetime | None = Field(default=None)  # throttled until then
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


class ReviewGuest(SQLModel, table=True):
    """Someone who opened a review link without an account and gave a name. Their browser
    keeps a random token (only its SHA-256 is here); revoking the session ends them all."""

    __tablename__ = "review_guest"

    id: int | None = Field(default=None, primary_key=True)
    review_session_id: int = fk("review_session.id", nullable=False, ondelete="CASCADE")
    name: str = Field(max_length=120, nullable=False)
    token_hash: str = Field(sa_column=sa.Column(sa.String(64), nullable=False, unique=True))
    created_at: datetime = created_at_field()
    last_seen_at: datetime = created_at_field()
