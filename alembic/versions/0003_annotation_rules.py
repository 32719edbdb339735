"""annotations: one drawing per comment, frames are never negative

Written by hand (autogenerate does not see CHECK constraints): a UNIQUE constraint on
annotation.comment_id and a CHECK on annotation.frame. Batch mode, so SQLite rebuilds the
table.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 12:00:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('annotation', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_annotation_comment', ['comment_id'])
        batch_op.create_check_constraint('ck_annotation_frame', 'frame >= 0')


def downgrade() -> None:
    with op.batch_alter_table('annotation', schema=None) as batch_op:
        batch_op.drop_constraint('ck_annotation_frame', type_='check')
        batch_op.drop_constraint('uq_annotation_comment', type_='unique')
