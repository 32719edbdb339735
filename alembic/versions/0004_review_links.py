"""review links: re-copyable tokens, password throttling, link guests

review_session gains token_salt (its token is HMAC(secret key, salt); only the token's hash
and the salt are stored), failed_attempts and locked_until (wrong passwords are throttled).
review_guest holds the people who opened a link without an account. Batch mode for SQLite.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('review_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_salt', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('failed_attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.create_table('review_guest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_session_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['review_session_id'], ['review_session.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('review_guest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_guest_review_session_id'), ['review_session_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('review_guest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_guest_review_session_id'))
    op.drop_table('review_guest')
    with op.batch_alter_table('review_session', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_attempts')
        batch_op.drop_column('token_salt')
