"""Engine and session factory shared by the app, the CLI, the scheduler and tests."""

from __future__ import annotations

import select
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlmodel import Session

from services import events
from services.settings import get_settings

_engines: dict[str, sa.Engine] = {}
_lock = threading.Lock()


def _on_sqlite_connect(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _closed_by_server(dbapi_conn) -> bool:
    """Whether the server has closed this pooled connection (restart, idle timeout, an admin
    ending it), found without a round trip: its goodbye (an error message, then end of file)
    waits on the socket, where a healthy idle connection has nothing to read."""
    if getattr(dbapi_conn, "closed", False) or getattr(dbapi_conn, "broken", False):
        return True
    pgconn = getattr(dbapi_conn, "pgconn", None)
    if pgconn is None:
        return False
    try:
        poller = select.poll()
        poller.register(pgconn.socket, select.POLLIN)
        return bool(poller.poll(0))
    except Exception:  # no socket any more: as good as closed
        return True


def _check_on_checkout(dbapi_conn, _record, _proxy) -> None:
    if _closed_by_server(dbapi_conn):
        # The pool drops it and checks out another (a fresh one if need be).
        raise sa.exc.DisconnectionError("connection closed by the server")


def make_engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        # A file cannot hang up on us: no liveness check at all.
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        sa.event.listen(engine, "connect", _on_sqlite_connect)
    else:
        # Not pool_pre_ping: its SELECT 1 costs a round trip (two with the BEGIN) on every
        # unit of work, a third of a board drop's own queries. The checkout check catches
        # what the server closed; pool_recycle bounds a connection's age (firewalls, proxies
        # that drop idle connections silently, which no local check can see).
        engine = sa.create_engine(
            url, pool_size=10, max_overflow=20, pool_recycle=1800, pool_use_lifo=True
        )
        sa.event.listen(engine, "checkout", _check_on_checkout)
    return engine


def get_engine(url: str | None = None) -> sa.Engine:
    url = url or get_settings().database_url
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = make_engine(url)
        return engine


def dispose_engines() -> None:
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on error. Domain events queued during the
    unit are delivered after the commit (services.events)."""
    session = Session(get_engine(url), expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        events.discard(session)
        raise
    finally:
        session.close()


@contextmanager
def read_scope(url: str | None = None) -> Iterator[Session]:
    """Reads outside any transaction (autocommit): each statement sees the database as of its
    own start, so use it for one query, or for reads that need not agree with each other.

    No BEGIN and no COMMIT: one round trip per query, which counts for the live push's card
    reads (in a busy worker each round trip also waits for the GIL). And no ROLLBACK, at which
    psycopg forgets the connection's prepared statements: the next queries on that pooled
    connection would be planned again (a board card query: ~5 ms to plan, under 1 ms to run)."""
    engine = get_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    with Session(engine, expire_on_commit=False) as session:
        yield session
