from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import created_at_field, enum_column, fk, utcnow
from models.enums import ApprovalDecision, ApprovalStage, CommentVisibility


class Comment(SQLModel, table=True):
    """A note on a version (optionally at a frame) or on a task. Guests of a review link have
    no account: they sign with a name, and `guest_id` says which guest wrote it (so they, and
    only they, may edit it). A deleted comment keeps its row, without its text, while a reply
    hangs under it (services.comment_edits)."""

    __tablename__ = "comment"
    __table_args__ = (
        sa.CheckConstraint(
            "version_id IS NOT NULL OR task_id IS NOT NULL", name="ck_comment_has_target"
        ),
        sa.CheckConstraint(
            "author_id IS NOT NULL OR guest_name IS NOT NULL", name="ck_comment_has_author"
        ),
        sa.CheckConstraint("frame IS NULL OR frame >= 0", name="ck_comment_frame"),
    )

    id: int | None = Field(default=None, primary_key=True)
    version_id: int | None = fk("version.id", ondelete="CASCADE")
    task_id: int | None = fk("task.id", ondelete="CASCADE")
    author_id: int | None = fk("user_account.id", ondelete="SET NULL", index=False)
    guest_name: str | None = Field(default=None, max_length=120)
    guest_id: int | None = fk("review_guest.id", ondelete="SET NULL", index=False)
    body: str = Field(nullable=False)
    frame: int | None = Field(default=None)
    visibility: CommentVisibility = enum_column(
        CommentVisibility, default=CommentVisibility.INTERNAL
    )
    parent_id: int | None = fk("comment.id", ondelete="CASCADE")
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)
    edited_at: datetime | None = Field(default=None)  # the text changed after posting
    deleted_at: datetime | None = Field(default=None)
    deleted_by_id: int | None = fk("user_account.id", ondelete="SET NULL", index=False)


class Annotation(SQLModel, table=True):
    """Vector shapes drawn on one frame (0-based clip index), in normalised (0..1) coordinates.
    A comment carries at most one drawing (services.annotations saves them together)."""

    __tablename__ = "annotation"
    __table_args__ = (
        sa.UniqueConstraint("comment_id", name="uq_annotation_comment"),
        sa.CheckConstraint("frame >= 0", name="ck_annotation_frame"),
    )

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = fk("version.id", nullable=False, ondelete="CASCADE")
    comment_id: int | None = fk("comment.id", ondelete="CASCADE")
    author_id: int | None = fk("user_account.id", ondelete="SET NULL", index=False)
    frame: int = Field(nullable=False)
    shapes: list = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    created_at: datetime = created_at_field()


class Approval(SQLModel, table=True):
    """A review decision. Append-only: a new decision is a new row, history is never rewritten."""

    __tablename__ = "approval"
    __table_args__ = (
        sa.CheckConstraint(
            "user_id IS NOT NULL OR guest_name IS NOT NULL", name="ck_approval_has_author"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = fk("version.id", nullable=False, ondelete="CASCADE")
    task_id: int | None = fk("task.id", ondelete="CASCADE")
    user_id: int | None = fk("user_account.id", ondelete="SET NULL", index=False)
    guest_name: str | None = Field(default=None, max_length=120)
    decision: ApprovalDecision = enum_column(ApprovalDecision)
    stage: ApprovalStage = enum_column(ApprovalStage)
    note: str = Field(default="", nullable=False)
    created_at: datetime = created_at_field()
