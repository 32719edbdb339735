"""The connection pool: no ping per unit of work, yet a connection the server closed is
replaced before anyone uses it."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from services import db
from services.db import session_scope
from tests.conftest import is_postgres


def test_a_unit_of_work_sends_no_ping(engine, db_url):
    seen: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    with session_scope(db_url) as s:
        s.execute(sa.text("SELECT 42")).one()
    assert seen == ["SELECT 42"]
    assert not engine.pool._pre_ping


def test_a_connection_the_server_closed_is_replaced_without_an_error(engine, db_url):
    if not is_postgres(db_url):
        pytest.skip("a SQLite file cannot close a connection")
    with session_scope(db_url) as s:
        first = s.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    # Another connection ends the pooled one, as a server restart or an idle timeout would.
    admin = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        assert conn.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": first}).scalar()
    # pg_terminate_backend only signals: wait until the backend is gone (its socket closed),
    # as it is once a restart or an idle timeout has happened.
    gone = sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :p")
    for _ in range(200):
        with admin.connect() as conn:
            if not conn.execute(gone, {"p": first}).scalar():
                break
        time.sleep(0.01)
    admin.dispose()
    with session_scope(db_url) as s:
        second = s.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    assert second != first


def test_a_healthy_idle_connection_is_kept(engine, db_url):
    if not is_postgres(db_url):
        pytest.skip("PostgreSQL only")
    with session_scope(db_url) as s:
        first = s.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    with session_scope(db_url) as s:
        assert s.execute(sa.text("SELECT pg_backend_pid()")).scalar_one() == first
        raw = s.connection().connection.dbapi_connection
        assert not db._closed_by_server(raw)


def test_a_read_only_unit_of_work_keeps_the_connections_prepared_statements(engine, db_url):
    """psycopg prepares a query run five times on a connection, and forgets every prepared
    statement at a ROLLBACK: reads end with COMMIT, so the plans survive them."""
    if not is_postgres(db_url):
        pytest.skip("PostgreSQL only")
    query = sa.text("SELECT count(*) FROM task WHERE project_id = :p")
    for _ in range(7):
        with db.read_scope(db_url) as s:
            s.execute(query, {"p": 1}).one()
    with db.read_scope(db_url) as s:
        prepared = s.execute(
            sa.text("SELECT statement FROM pg_prepared_statements WHERE statement LIKE :q"),
            {"q": "SELECT count(*) FROM task%"},
        ).all()
    assert len(prepared) == 1


def test_a_read_scope_reads_outside_a_transaction_and_leaves_the_pool_transactional(engine, db_url):
    from models import Project

    with db.read_scope(db_url) as s:
        raw = s.connection().connection.dbapi_connection
        if is_postgres(db_url):
            assert raw.autocommit
        assert s.execute(sa.text("SELECT count(*) FROM project")).scalar_one() == 0
    # The same pooled connection, in a unit of work again: a failure still rolls back.
    with pytest.raises(RuntimeError), session_scope(db_url) as s:
        s.add(Project(code="RB", name="Rolled back"))
        s.flush()
        raise RuntimeError("boom")
    with db.read_scope(db_url) as s:
        assert s.execute(sa.text("SELECT count(*) FROM project")).scalar_one() == 0
