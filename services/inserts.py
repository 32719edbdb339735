"""INSERT … ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike.

For rows whose existence is the fact that matters (an outbox message's dedupe key, an overdue
notice, a scheduler lease): the database decides who was first, so two workers racing to write
the same row get one insert and one no-op instead of an IntegrityError that rolls back their
unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


def insert_if_absent(
    session: Session, table: sa.Table, values: dict[str, Any], keys: Sequence[str]
) -> bool:
    """Insert the row unless one with the same `keys` (a primary key or UNIQUE) exists;
    returns whether this call inserted it."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt = postgresql.insert(table).values(**values).on_conflict_do_nothing(index_elements=keys)
    elif dialect == "sqlite":
        stmt = sqlite.insert(table).values(**values).on_conflict_do_nothing(index_elements=keys)
    else:  # pragma: no cover - the app runs on SQLite or PostgreSQL only
        raise NotImplementedError(f"insert_if_absent on {dialect}")
    # RETURNING, not rowcount: PostgreSQL drivers report -1 once SQLAlchemy adds its own
    # RETURNING for the new primary key; a skipped insert returns no row on both databases.
    return session.execute(stmt.returning(*table.primary_key.columns)).first() is not None
