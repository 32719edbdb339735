"""Typed read models that services hand to the state layer (never live ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class UserRead:
    id: int
    email: str
    name: str
    role: str
    is_active: bool = True

    @property
    def initials(self) -> str:
        parts = [p for p in self.name.split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or self.email[:2].upper()


@dataclass(frozen=True)
class GuestRead:
    """Someone reviewing through a link without an account. For the permission matrix a
    CLIENT whose reach is the versions of one review session (services.access)."""

    guest_id: int
    name: str
    review_session_id: int
    project_id: int
    id: None = None  # no account: authored rows carry guest_name instead
    email: str = ""
    role: str = "CLIENT"
    is_active: bool = True

    @property
    def initials(self) -> str:
        parts = [p for p in self.name.split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or "G"


@dataclass(frozen=True)
class ProjectRead:
    id: int
    code: str
    name: str
    description: str
    fps: float
    start_frame: int
    resolution: str
    status: str
    slack_channel: str | None
    tasks_total: int = 0
    tasks_done: int = 0
    counts_by_status: dict[str, int] = field(default_factory=dict)
    next_due: date | None = None
    shot_count: int = 0
    asset_count: int = 0
    archived_at: datetime | None = None  # archived: out of the studio's lists (not read-only)


@dataclass(frozen=True)
class ShotRead:
    id: int
    project_id: int
    code: str
    name: str
    description: str
    status: str
    priority: str
    frame_in: int | None
    frame_out: int | None
    due_date: date | None
    lead_id: int | None
    lead_name: str | None


@dataclass(frozen=True)
class AssetRead:
    id: int
    project_id: int
    asset_code: str
    name: str
    description: str
    status: str
    priority: str
    assigned_lead_id: int | None
    lead_name: str | None
    due_date: date | None


@dataclass(frozen=True)
class TaskRead:
    id: int
    project_id: int
    project_code: str
    title: str
    description: str
    type: str
    status: str
    priority: str
    due_date: date | None
    estimated_hours: float | None
    sort_order: float
    shot_id: int | None
    asset_id: int | None
    parent_code: str  # the shot code or asset code
    assigned_artist_id: int | None
    artist_name: str | None
    assigned_supervisor_id: int | None
    supervisor_name: str | None
    watcher_ids: tuple[int, ...]
    latest_version_number: int | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class VersionRead:
    id: int
    project_id: int
    task_id: int | None
    number: int
    label: str  # v001
    uploaded_by_id: int | None
    uploaded_by_name: str | None
    original_filename: str
    processing_state: str
    description: str
    is_client_visible: bool
    shared_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class ActivityRead:
    id: int
    project_id: int
    actor_name: str
    verb: str
    text: str
    task_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class TemplateRead:
    id: int
    name: str
    applies_to: str
    task_types: tuple[str, ...]


@dataclass(frozen=True)
class CommentRead:
    id: int
    author_name: str
    is_client: bool
    body: str
    frame: int | None
    version_id: int | None
    version_label: str
    visibility: str
    parent_id: int | None
    created_at: datetime
    edited_at: datetime | None = None
    deleted: bool = False  # kept for its replies; no text
    can_edit: bool = False  # what this viewer may do with it (services.comments)
    can_delete: bool = False


@dataclass(frozen=True)
class ApprovalRead:
    id: int
    who: str
    stage: str
    decision: str
    note: str
    version_id: int
    version_label: str
    created_at: datetime


@dataclass(frozen=True)
class AnnotationRead:
    """Vector shapes drawn on one frame (0-based clip index), in normalised 0..1 coordinates."""

    id: int
    version_id: int
    comment_id: int | None
    frame: int
    shapes: tuple[dict, ...]
    author_name: str
    created_at: datetime


@dataclass(frozen=True)
class VersionCommentRead:
    """A comment on one version as the review room lists it: with its drawing, if any."""

    id: int
    author_name: str
    is_client: bool
    body: str
    frame: int | None  # 0-based clip frame index; None for the whole version
    visibility: str
    parent_id: int | None
    created_at: datetime
    shapes: tuple[dict, ...] = ()
    edited_at: datetime | None = None
    deleted: bool = False  # kept for its replies; no text, no drawing
    can_edit: bool = False  # what this viewer may do with it
    can_delete: bool = False


@dataclass(frozen=True)
class RoomVersionRead:
    """One version in the review room's switcher and the task page's version table."""

    id: int
    number: int
    label: str
    uploaded_by_name: str | None
    created_at: datetime
    processing_state: str
    processing_error: str | None
    description: str
    is_client_visible: bool
    comment_count: int
    approval: str  # "" | "APPROVED" | "CHANGES_REQUESTED": the latest decision on it
    approval_stage: str  # "" | "INTERNAL" | "CLIENT"
    thumbnail_url: str | None
    can_delete: bool = False  # this viewer may delete it (services.deletions)


@dataclass(frozen=True)
class ReviewRoomRead:
    """What the review room shows around the player, for one viewer."""

    task: TaskRead
    start_frame: int  # the project's first frame number: clip frame 0 is shown as this
    project_fps: float
    versions: tuple[RoomVersionRead, ...]  # newest first
    version_id: int | None  # the version in the player (None: the task has none yet)
    previous_id: int | None  # the version before it that is ready: the B side of an A/B
    can_upload: bool
    can_comment: bool
    can_comment_for_client: bool
    can_approve: bool
    can_retry: bool
