"""The invariants the database holds by itself. Rows are inserted raw, bypassing the services,
to prove the migrated schema (not just a service check) refuses them. Runs on SQLite and, with
FEEDBACK_TEST_DB_URL set, on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from models import Asset, Project, Shot, Task, User, Version

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def task_row(prod, **overrides) -> dict:
    row = {
        "project_id": prod.project.id,
        "title": "Raw",
        "description": "",
        "type": "COMP",
        "status": "TODO",
        "priority": "NORMAL",
        "sort_order": 0.0,
        "shot_id": prod.shot.id,
        "asset_id": None,
        "last_version_number": 0,
        "created_at": NOW,
        "updated_at": NOW,
    }
    return {**row, **overrides}


def version_row(prod, **overrides) -> dict:
    row = {
        "project_id": prod.project.id,
        "task_id": prod.task.id,
        "shot_id": prod.shot.id,
        "asset_id": None,
        "number": 1,
        "original_filename": "raw.mov",
        "processing_state": "QUEUED",
        "description": "",
        "is_client_visible": False,
        "created_at": NOW,
    }
    return {**row, **overrides}


def insert(engine, model, row: dict) -> None:
    with engine.begin() as conn:
        conn.execute(sa.insert(model.__table__).values(**row))


def refused(engine, model, row: dict) -> None:
    with pytest.raises(sa.exc.IntegrityError):
        insert(engine, model, row)


# ---------------------------------------------------------------- task: shot XOR asset


def test_a_raw_task_row_on_a_shot_is_accepted(engine, prod):
    """The control: the raw insert below is refused for its parents, not for a missing column."""
    insert(engine, Task, task_row(prod))
    insert(engine, Task, task_row(prod, shot_id=None, asset_id=prod.asset.id))


def test_database_refuses_a_task_on_both_a_shot_and_an_asset(engine, prod):
    refused(engine, Task, task_row(prod, asset_id=prod.asset.id))


def test_database_refuses_a_task_on_neither_a_shot_nor_an_asset(engine, prod):
    refused(engine, Task, task_row(prod, shot_id=None))


def test_database_refuses_turning_a_shot_task_into_a_both_parents_task(engine, prod):
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(
            sa.update(Task.__table__)
            .where(Task.__table__.c.id == prod.task.id)
            .values(asset_id=prod.asset.id)
        )


def test_database_refuses_a_task_on_a_missing_shot(engine, prod):
    refused(engine, Task, task_row(prod, shot_id=999_999))


def test_database_refuses_a_task_without_a_title(engine, prod):
    refused(engine, Task, task_row(prod, title=None))


def test_database_refuses_negative_estimates_and_version_counters(engine, prod):
    refused(engine, Task, task_row(prod, estimated_hours=-1.0))
    refused(engine, Task, task_row(prod, last_version_number=-1))


# ---------------------------------------------------------------- version numbers


def test_database_refuses_a_duplicate_version_number_on_a_task(engine, prod):
    insert(engine, Version, version_row(prod, number=7))
    refused(engine, Version, version_row(prod, number=7))


def test_the_same_version_number_on_another_task_is_fine(engine, prod):
    with engine.begin() as conn:
        other_id = conn.execute(
            sa.insert(Task.__table__)
            .values(**task_row(prod, type="ROTO"))
            .returning(Task.__table__.c.id)
        ).scalar_one()
    insert(engine, Version, version_row(prod, number=1))
    insert(engine, Version, version_row(prod, number=1, task_id=other_id))


def test_database_refuses_version_number_zero(engine, prod):
    refused(engine, Version, version_row(prod, number=0))


def test_database_refuses_a_version_on_both_a_shot_and_an_asset(engine, prod):
    refused(engine, Version, version_row(prod, asset_id=prod.asset.id))


# ---------------------------------------------------------------- codes, ranges, accounts


def test_database_refuses_a_duplicate_shot_code_in_a_project(engine, prod):
    row = {
        "project_id": prod.project.id,
        "code": prod.shot.code,
        "name": "",
        "description": "",
        "status": "ACTIVE",
        "priority": "NORMAL",
        "created_at": NOW,
        "updated_at": NOW,
    }
    refused(engine, Shot, row)


def test_database_refuses_a_shot_ending_before_it_starts(engine, prod):
    row = {
        "project_id": prod.project.id,
        "code": "SH999",
        "name": "",
        "description": "",
        "status": "ACTIVE",
        "priority": "NORMAL",
        "frame_in": 1100,
        "frame_out": 1001,
        "created_at": NOW,
        "updated_at": NOW,
    }
    refused(engine, Shot, row)


def test_database_refuses_a_duplicate_asset_code_in_a_project(engine, prod):
    row = {
        "project_id": prod.project.id,
        "asset_code": prod.asset.asset_code,
        "name": "",
        "description": "",
        "status": "ACTIVE",
        "priority": "NORMAL",
        "created_at": NOW,
        "updated_at": NOW,
    }
    refused(engine, Asset, row)


def test_database_refuses_a_duplicate_project_code(engine, prod):
    row = {
        "code": prod.project.code,
        "name": "Copy",
        "description": "",
        "fps": 24.0,
        "start_frame": 1001,
        "resolution_width": 1920,
        "resolution_height": 1080,
        "status": "ACTIVE",
        "client_emails": "",
        "created_at": NOW,
        "updated_at": NOW,
    }
    refused(engine, Project, row)
    refused(engine, Project, {**row, "code": "FPS0", "fps": 0})


def test_database_refuses_a_duplicate_email(engine, prod):
    row = {
        "email": prod.artist.email,
        "name": "Twin",
        "role": "ARTIST",
        "password_hash": "x",
        "is_active": True,
        "created_at": NOW,
        "updated_at": NOW,
    }
    refused(engine, User, row)


def test_deleting_a_project_cascades_to_its_production_data(engine, prod):
    insert(engine, Version, version_row(prod))
    with engine.begin() as conn:
        conn.execute(sa.delete(Project.__table__).where(Project.__table__.c.id == prod.project.id))
    with engine.connect() as conn:
        for model in (Shot, Asset, Task, Version):
            assert (
                conn.execute(sa.select(sa.func.count()).select_from(model.__table__)).scalar() == 0
            )


def test_the_migrations_build_exactly_the_models_schema(engine):
    """Alembic's autogenerate finds nothing to add: every model change has its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import models  # noqa: F401 - every table on SQLModel.metadata

    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)

    assert diff == []
