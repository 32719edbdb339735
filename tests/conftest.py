"""Shared fixtures: a migrated database per test (SQLite by default, PostgreSQL when
FEEDBACK_TEST_DB_URL points at one), and factories that build data through the services."""

from __future__ import annotations

import os
import shutil
import traceback
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlmodel import Session, SQLModel

import models  # noqa: F401  (every table on the metadata)
from services import db as db_module
from services import events

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def subscriber_failures():
    """Event subscribers that raised during the test (subscriber, exception). Production only
    logs them; here any left at the end fails the test, since otherwise a broken subscriber
    shows only as data that never appeared. A test that means a subscriber to fail checks
    this list and clears it."""
    failures: list[tuple[object, Exception]] = []

    def hook(fn, exc):
        failures.append((fn, exc))

    events.add_failure_hook(hook)
    yield failures
    events.remove_failure_hook(hook)
    if failures:
        told = "\n".join(
            f"{fn!r}:\n{''.join(traceback.format_exception(exc))}" for fn, exc in failures
        )
        pytest.fail(f"an event subscriber raised during the test:\n{told}", pytrace=False)


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


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory):
    """Migrate once per test session; each test then starts from a copy (SQLite) or from
    truncated tables (PostgreSQL) instead of running every migration again."""
    base = os.environ.get("FEEDBACK_TEST_DB_URL")
    if base and base.startswith("postgresql"):
        url, drop = _fresh_postgres(base)
        command.upgrade(_alembic_config(url), "head")
        yield "postgresql", url
        db_module.dispose_engines()
        drop()
    else:
        path = tmp_path_factory.mktemp("template") / "template.db"
        command.upgrade(_alembic_config(f"sqlite:///{path}"), "head")
        yield "sqlite", path


def _truncate_all(url: str) -> None:
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def db_url(_migrated_template, tmp_path, monkeypatch) -> str:
    """A migrated, empty database; REFLEX_DB_URL points at it for code that reads settings."""
    kind, template = _migrated_template
    if kind == "postgresql":
        url = template
        _truncate_all(url)
    else:
        target = tmp_path / "test.db"
        shutil.copyfile(template, target)
        url = f"sqlite:///{target}"
    monkeypatch.setenv("REFLEX_DB_URL", url)
    monkeypatch.setenv("FEEDBACK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("FEEDBACK_MEDIA_ROOT", str(tmp_path / "media"))
    yield url
    db_module.dispose_engines()


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


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 API server on loopback, one per test session."""
    from tests.servers import moto_s3

    with moto_s3() as url:
        yield url


@pytest.fixture
def s3_storage(s3_endpoint):
    """An S3Storage on a fresh bucket of the loopback S3 server (smallest legal part size, so
    a multipart upload needs only a few MiB)."""
    from integrations.storage import S3Storage
    from tests.servers import MOTO_KEYS

    bucket = f"test-{uuid.uuid4().hex[:12]}"
    storage = S3Storage(
        bucket, endpoint_url=s3_endpoint, part_size=S3Storage.MIN_PART_SIZE, **MOTO_KEYS
    )
    storage.client.create_bucket(Bucket=bucket)
    return storage
