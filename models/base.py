"""Column helpers shared by the tables."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Field


def utcnow() -> datetime:
    """Aware UTC; SQLModel's datetime columns store and return UTC on every database."""
    return datetime.now(UTC)


def enum_column(enum_cls: type[enum.Enum], *, nullable: bool = False, default=None, **kw):
    """A VARCHAR column holding an enum's value (no native DB enum type to migrate)."""
    return Field(
        default=default,
        sa_column=sa.Column(
            sa.Enum(
                enum_cls,
                native_enum=False,
                create_constraint=False,
                length=32,
                values_callable=lambda e: [m.value for m in e],
            ),
            nullable=nullable,
            **kw,
        ),
    )


def created_at_field():
    return Field(default_factory=utcnow, nullable=False)


def fk(target: str, *, nullable: bool = True, ondelete: str | None = None, index: bool = True):
    return Field(
        default=None,
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index
        ),
    )
