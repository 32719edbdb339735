"""What a table row or a card shows, already formatted. Only these reach the browser."""

from __future__ import annotations

from dataclasses import dataclass

from services.schemas import (
    ActivityRead,
    ProjectRead,
    TaskRead,
    UserRead,
)
from state.formatting import due_label, due_tone, type_label, when


@dataclass
class ProjectRow:
    id: int
    code: str
    name: str
    status: str
    fps: str
    resolution: str
    tasks_total: int
    tasks_done: int
    progress: int  # percent
    next_due: str
    shot_count: int
    asset_count: int
    archived: str = ""  # "" while running, else when it was archived ("3 d ago")


def project_row(p: ProjectRead) -> ProjectRow:
    pct = round(100 * p.tasks_done / p.tasks_total) if p.tasks_total else 0
    return ProjectRow(
        id=p.id,
        code=p.code,
        name=p.name,
        status=p.status,
        fps=f"{p.fps:g}",
        resolution=p.resolution,
        tasks_total=p.tasks_total,
        tasks_done=p.tasks_done,
        progress=pct,
        next_due=due_label(p.next_due),
        shot_count=p.shot_count,
        asset_count=p.asset_count,
        archived=when(p.archived_at) if p.archived_at else "",
    )


def frames_label(frame_in: int | None, frame_out: int | None) -> str:
    """ "1001–1096"; "from 1001" while the last frame is not known yet."""
    if frame_in is None:
        return ""
    return f"{frame_in}–{frame_out}" if frame_out else f"from {frame_in}"


@dataclass
class TaskRow:
    id: int
    project_id: int
    project_code: str
    title: str
    type: str
    type_label: str
    status: str
    priority: str
    parent_code: str
    artist: str
    artist_id: str  # "" when unassigned
    artist_initials: str
    supervisor: str
    due: str
    due_iso: str
    due_tone: str
    latest_version: str


def _initials(name: str | None) -> str:
    return "".join(p[0] for p in (name or "").split()[:2]).upper()


def task_row(t: TaskRead) -> TaskRow:
    return TaskRow(
        id=t.id,
        project_id=t.project_id,
        project_code=t.project_code,
        title=t.title,
        type=t.type,
        type_label=type_label(t.type),
        status=t.status,
        priority=t.priority,
        parent_code=t.parent_code,
        artist=t.artist_name or "",
        artist_id=str(t.assigned_artist_id or ""),
        artist_initials=_initials(t.artist_name),
        supervisor=t.supervisor_name or "",
        due=due_label(t.due_date, done=t.status == "DONE"),
        due_iso=t.due_date.isoformat() if t.due_date else "",
        due_tone=due_tone(t.due_date, t.status == "DONE"),
        latest_version=f"v{t.latest_version_number:03d}" if t.latest_version_number else "",
    )


@dataclass
class ActivityRow:
    id: int
    text: str
    when: str
    task_id: int


def activity_row(a: ActivityRead) -> ActivityRow:
    return ActivityRow(id=a.id, text=a.text, when=when(a.created_at), task_id=a.task_id or 0)


@dataclass
class UserRow:
    id: int
    name: str
    email: str
    role: str
    active: bool
    initials: str


def user_row(u: UserRead) -> UserRow:
    return UserRow(
        id=u.id, name=u.name, email=u.email, role=u.role, active=u.is_active, initials=u.initials
    )


@dataclass
class ChipRow:
    task_id: int
    type: str
    type_label: str
    status: str
    version: str
    approval: str  # "", "APPROVED", "CHANGES_REQUESTED"
    approval_label: str
    artist: str
    tooltip: str
    version_id: int = 0  # the latest version (0: none yet)
    version_state: str = ""  # its processing state
    shared: bool = False  # shared with the client
    task_href: str = ""
    review_href: str = ""


@dataclass
class ItemRow:
    """A shot or an asset in the overview, with its tasks as chips."""

    id: int
    code: str
    name: str
    frames: str
    due: str
    due_tone: str
    lead: str
    status: str
    chips: list[ChipRow]
    missing_quick: list[str]  # quick-add types the item does not have yet


def item_row(i, quick_types: tuple[str, ...]) -> ItemRow:
    have = {c.type for c in i.chips}
    frames = frames_label(i.frame_in, i.frame_out)
    # final, or nothing left open on it (every task Done, or none yet): never "overdue"
    done = i.status == "FINAL" or not i.has_open_task
    return ItemRow(
        id=i.id,
        code=i.code,
        name=i.name,
        frames=frames,
        due=due_label(i.due_date, done=done),
        due_tone=due_tone(i.due_date, done),
        lead=i.lead_name or "",
        status=i.status,
        chips=[
            ChipRow(
                task_id=c.task_id,
                type=c.type,
                type_label=type_label(c.type),
                status=c.status,
                version=c.latest_version,
                approval=c.approval,
                approval_label=_approval_label(c.approval, c.approval_stage),
                artist=c.artist_name or "",
                version_id=c.latest_version_id or 0,
                version_state=c.processing_state or "",
                shared=c.is_client_visible,
                task_href=f"/tasks/{c.task_id}",
                review_href=f"/review/{c.latest_version_id}" if c.latest_version_id else "",
                tooltip=" · ".join(
                    x
                    for x in (
                        type_label(c.type),
                        STATUS_TEXT.get(c.status, c.status),
                        c.latest_version,
                        c.artist_name or "",
                        _approval_label(c.approval, c.approval_stage),
                    )
                    if x
                ),
            )
            for c in i.chips
        ],
        missing_quick=[t for t in quick_types if t not in have],
    )


STATUS_TEXT = {
    "TODO": "Todo",
    "IN_PROGRESS": "In Progress",
    "INTERNAL_REVIEW": "Internal Review",
    "CLIENT_REVIEW": "Client Review",
    "CHANGES": "Changes",
    "DONE": "Done",
}


def approval_label(decision: str, stage: str) -> str:
    """ "Internal approved", "Client: changes", or "" when nobody decided yet."""
    if not decision:
        return ""
    who = "Client" if stage == "CLIENT" else "Internal"
    return f"{who} approved" if decision == "APPROVED" else f"{who}: changes"


_approval_label = approval_label


@dataclass
class CommentRow:
    id: int
    author: str
    is_client: bool
    body: str
    where: str  # "v002 · f1012" or "task"
    when: str
    edited: str = ""  # "edited 5 min ago", or ""
    deleted: bool = False  # kept for its replies: no text
    can_edit: bool = False  # this viewer's own, and they may still write it
    can_delete: bool = False


@dataclass
class ApprovalRow:
    id: int
    who: str
    stage: str
    decision: str
    note: str
    version: str
    when: str
