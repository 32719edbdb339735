"""comment lines name their comment: older feed lines of comments are tied to them and restated

A comment's feed line ("Ada commented on SH010 COMP v001: “…”") used to target the version or
the task; it now targets the comment, so an edit rewrites the quote and a delete leaves
"comment deleted". This ties each older line to its comment and quotes the comment as it is
now: a comment edited or deleted before this no longer shows its old text in any feed.

Which line is whose: a line is written just after its comment commits, on the same task and
version, so each comment (oldest first) takes the first free line of its version (or task)
written at or after it, within LINE_WINDOW. A comment never edited must also match the line's
quote: a comment that never got a line (written before the feeds existed) cannot take its
neighbour's. Data only; the downgrade points the lines at their version or task again.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 20:00:00
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LINE_WINDOW = timedelta(minutes=10)
EXCERPT = 60  # as services.activity_events wrote them
DELETED = 'comment deleted'

activity = sa.table(
    'activity',
    sa.column('id', sa.Integer),
    sa.column('verb', sa.String),
    sa.column('target_type', sa.String),
    sa.column('target_id', sa.Integer),
    sa.column('task_id', sa.Integer),
    sa.column('text', sa.String),
    sa.column('created_at', sa.DateTime),
)
comment = sa.table(
    'comment',
    sa.column('id', sa.Integer),
    sa.column('task_id', sa.Integer),
    sa.column('version_id', sa.Integer),
    sa.column('body', sa.String),
    sa.column('edited_at', sa.DateTime),
    sa.column('deleted_at', sa.DateTime),
    sa.column('created_at', sa.DateTime),
)


def _aware(value) -> datetime:
    """SQLite hands back naive datetimes (stored as UTC), PostgreSQL aware ones."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _quote(body: str | None, deleted: bool) -> str:
    if deleted:
        return f': {DELETED}'
    text = ' '.join((body or '').split())
    if len(text) > EXCERPT:
        text = text[: EXCERPT - 1].rstrip() + '…'
    return f': “{text}”'


def _head(text: str) -> str:
    """The line without its quote."""
    if text.endswith(f': {DELETED}'):
        return text[: -len(f': {DELETED}')]
    head, quoted, _ = text.rpartition(': “')
    return head if quoted else text


def upgrade() -> None:
    conn = op.get_bind()
    lines = conn.execute(
        sa.select(
            activity.c.id,
            activity.c.target_type,
            activity.c.target_id,
            activity.c.task_id,
            activity.c.text,
            activity.c.created_at,
        )
        .where(
            activity.c.verb == 'comment.added',
            activity.c.target_type.in_(['version', 'task']),
        )
        .order_by(activity.c.created_at, activity.c.id)
    ).all()
    if not lines:
        return
    free: dict[tuple, list] = defaultdict(list)
    for line in lines:
        free[(line.task_id, line.target_type, line.target_id)].append(line)
    comments = conn.execute(
        sa.select(comment)
        .where(comment.c.task_id.is_not(None))
        .order_by(comment.c.created_at, comment.c.id)
    ).all()
    for c in comments:
        key = (c.task_id, 'version', c.version_id) if c.version_id else (c.task_id, 'task', c.task_id)
        written = _aware(c.created_at)
        edited = c.edited_at is not None or c.deleted_at is not None
        original = _quote(c.body, deleted=False)
        for line in free.get(key, []):
            at = _aware(line.created_at)
            if at < written:
                continue
            if at - written > LINE_WINDOW:
                break
            if not edited and not line.text.endswith(original):
                continue
            free[key].remove(line)
            conn.execute(
                sa.update(activity)
                .where(activity.c.id == line.id)
                .values(
                    target_type='comment',
                    target_id=c.id,
                    text=_head(line.text) + _quote(c.body, deleted=c.deleted_at is not None),
                )
            )
            break


def downgrade() -> None:
    conn = op.get_bind()
    for target_type, column, owns in (
        ('version', comment.c.version_id, comment.c.version_id.is_not(None)),
        ('task', comment.c.task_id, comment.c.version_id.is_(None)),
    ):
        conn.execute(
            sa.update(activity)
            .where(
                activity.c.verb == 'comment.added',
                activity.c.target_type == 'comment',
                sa.exists().where(comment.c.id == activity.c.target_id, owns),
            )
            .values(
                target_type=target_type,
                target_id=sa.select(column)
                .where(comment.c.id == activity.c.target_id)
                .scalar_subquery(),
            )
        )
