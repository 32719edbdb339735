"""Database leases: one holder at a time for a named periodic job, across processes.

Taken and renewed by one conditional UPDATE (the holder itself, or anyone once it expired), so
two schedulers racing for it cannot both win; released by expiring it at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from models import SchedulerLease
from models.base import utcnow
from services.inserts import insert_if_absent

_T = SchedulerLease.__table__


def acquire(
    session: Session, *, name: str, holder: str, ttl: timedelta, now: datetime | None = None
) -> bool:
    """Take or renew the lease `name` for `ttl`; False while someone else holds it."""
    now = now or utcnow()
    values = {"name": name, "holder": holder, "expires_at": now + ttl}
    if insert_if_absent(session, _T, values, ["name"]):
        return True
    return (
        session.execute(
            sa.update(_T)
            .where(_T.c.name == name, sa.or_(_T.c.holder == holder, _T.c.expires_at <= now))
            .values(holder=holder, expires_at=now + ttl)
        ).rowcount
        == 1
    )


def release(session: Session, *, name: str, holder: str, now: datetime | None = None) -> None:
    """Give the lease up now, if `holder` has it, so another process need not wait it out."""
    session.execute(
        sa.update(_T)
        .where(_T.c.name == name, _T.c.holder == holder)
        .values(expires_at=now or utcnow())
    )


def holder_of(session: Session, name: str, now: datetime | None = None) -> str | None:
    """Who holds the lease now (None when free or expired)."""
    row = session.get(SchedulerLease, name)
    if row is None or row.expires_at <= (now or utcnow()):
        return None
    return row.holder
