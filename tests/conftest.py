"""Shared fixtures: a migrated database per test (SQLite by default, PostgreSQL when
FEEDBACK_TEST_DB_URL points at one), and factories that build data through the services."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlmodel import Session

from services import db as db_module

ROOT = Path(__file__).resolve().parent.parent


def _alembic_config(url: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    cfg.attributes["url"] = url
    return cfg


def _fresh_postgres(base_url: str) -> tuple[str, callable]:
    """A throwaway schema on the given Postgres database, so parallel runs never collide."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base_url else "?"
    url = f"{base_url}{sep}options=-csearch_path%3D{schema}"

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return url, drop


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    """A migrated, empty database; REFLEX_DB_URL points at it for code that reads settings."""
    base = os.environ.get("FEEDBACK_TEST_DB_URL")
    if base and base.startswith("postgresql"):
        url, drop = _fresh_postgres(base)
    else:
        url, drop = f"sqlite:///{tmp_path / 'test.db'}", lambda: None
    monkeypatch.setenv("REFLEX_DB_URL", url)
    monkeypatch.setenv("FEEDBACK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("FEEDBACK_MEDIA_ROOT", str(tmp_path / "media"))
    command.upgrade(_alembic_config(url), "head")
    yield url
    db_module.dispose_engines()
    drop()


@pytest.fixture
def engine(db_url):
    return db_module.get_engine(db_url)


@pytest.fixture
def session(engine):
    """A session for arranging and asserting; use cases commit through it like the app does."""
    with Session(engine, expire_on_commit=False) as s:
        yield s


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")
