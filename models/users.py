from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import created_at_field, enum_column, fk, utcnow
from models.enums import Role


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_column=sa.Column(sa.String(254), nullable=False, unique=True))
    name: str = Field(max_length=120, nullable=False)
    role: Role = enum_column(Role)
    password_hash: str = Field(nullable=False)
    is_active: bool = Field(default=True, nullable=False)
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)


class LoginSession(SQLModel, table=True):
    """A signed-in browser. Only the token's hash is stored."""

    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = fk("user_account.id", nullable=False, ondelete="CASCADE")
    token_hash: str = Field(sa_column=sa.Column(sa.String(64), nullable=False, unique=True))
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(nullable=False)
    revoked_at: datetime | None = Field(default=None)


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins counted per email and per client address (services.auth). The key is a
    SHA-256, so the table names no address and no email, not even of accounts that exist."""

    __tablename__ = "login_throttle"

    key: str = Field(sa_column=sa.Column(sa.String(64), primary_key=True))
    failed_attempts: int = Field(default=0, nullable=False)
    locked_until: datetime | None = Field(default=None)
    last_failed_at: datetime = Field(default_factory=utcnow, nullable=False)
