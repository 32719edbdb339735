"""project archive: project.archived_at, set while a finished show is archived

An archived project is left out of the studio's lists, dashboards, workload views, the
artist board and the bell, and stays reachable by its URL (services.projects.archive_project).
archived_at is now the one place that says so: the ARCHIVED value of project.status, which only
the overdue job read and nothing in the app could set, becomes archived_at (its row's
updated_at) with the status back to ACTIVE, and the value leaves ProjectStatus. The downgrade
writes it back. Batch mode for SQLite, as plain ALTERs (no table copy).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

project = sa.table(
    "project",
    sa.column("status", sa.String),
    sa.column("updated_at", sa.DateTime),
    sa.column("archived_at", sa.DateTime),
)


def upgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("archived_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    op.execute(
        sa.update(project)
        .where(project.c.status == "ARCHIVED")
        .values(archived_at=project.c.updated_at, status="ACTIVE")
    )


def downgrade() -> None:
    op.execute(
        sa.update(project).where(project.c.archived_at.is_not(None)).values(status="ARCHIVED")
    )
    # A plain ALTER (SQLite >= 3.35), never a copy: recreating `project` would drop the old
    # table, and with foreign keys on that deletes every shot, task and line under it.
    with op.batch_alter_table("project", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("archived_at")
