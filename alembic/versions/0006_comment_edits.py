"""comment edits: edited and deleted comments, and which link guest wrote a comment

comment gains edited_at (the text changed after posting), deleted_at and deleted_by_id (a
deleted comment keeps its row, without its text, while replies hang under it) and guest_id
(the review_guest who wrote it, so a guest may edit their own comments; comments written
before this have none). Batch mode for SQLite; the foreign keys are named so the downgrade
can drop them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guest_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('edited_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column('deleted_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_comment_guest_id', 'review_guest', ['guest_id'], ['id'], ondelete='SET NULL'
        )
        batch_op.create_foreign_key(
            'fk_comment_deleted_by_id',
            'user_account',
            ['deleted_by_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade() -> None:
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_constraint('fk_comment_deleted_by_id', type_='foreignkey')
        batch_op.drop_constraint('fk_comment_guest_id', type_='foreignkey')
        batch_op.drop_column('deleted_by_id')
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('edited_at')
        batch_op.drop_column('guest_id')
