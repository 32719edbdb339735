"""What the review room shows, already formatted: version cards, comments with their frame
numbers and timecode, and the player's media. Presentation, not rules."""

from __future__ import annotations

from dataclasses import dataclass

from services.media_access import VersionMediaRead
from services.schemas import RoomVersionRead, VersionCommentRead
from state.formatting import timecode, when

PROCESSING_LABELS = {
    "QUEUED": "Queued",
    "PROCESSING": "Processing",
    "READY": "Ready",
    "FAILED": "Failed",
}
APPROVAL_LABELS = {"APPROVED": "Approved", "CHANGES_REQUESTED": "Changes requested"}


@dataclass
class VersionCard:
    """A version in the switcher and in the task page's version table."""

    id: int
    label: str
    uploader: str
    when: str
    state: str  # QUEUED, PROCESSING, READY, FAILED
    state_label: str
    error: str
    comments: int
    approval: str  # "", APPROVED, CHANGES_REQUESTED
    approval_label: str  # "Internal: approved", ...
    thumb: str
    description: str
    shared: bool
    can_delete: bool = False  # this viewer may delete it (the service checks again)


@dataclass
class RoomComment:
    id: int
    author: str
    is_client: bool
    body: str
    frame: int  # 0-based clip index; -1 for the whole version
    frame_label: str  # "1012" (start frame + index) or ""
    timecode: str
    when: str
    for_client: bool
    reply: bool
    drawing: bool
    edited: str  # "edited 5 min ago", or ""
    deleted: bool  # kept for its replies: no text
    can_edit: bool  # this viewer's own, and they may still write it
    can_delete: bool


def version_card(v: RoomVersionRead) -> VersionCard:
    approval = ""
    if v.approval:
        who = "Client" if v.approval_stage == "CLIENT" else "Internal"
        approval = f"{who}: {APPROVAL_LABELS[v.approval].lower()}"
    return VersionCard(
        id=v.id,
        label=v.label,
        uploader=v.uploaded_by_name or "",
        when=when(v.created_at),
        state=v.processing_state,
        state_label=PROCESSING_LABELS.get(v.processing_state, v.processing_state),
        error=v.processing_error or "",
        comments=v.comment_count,
        approval=v.approval,
        approval_label=approval,
        thumb=v.thumbnail_url or "",
        description=v.description,
        shared=v.is_client_visible,
        can_delete=v.can_delete,
    )


def room_comments(
    items: list[VersionCommentRead], start_frame: int, fps: float
) -> list[RoomComment]:
    """Oldest first, each reply right under the comment it answers."""
    replies: dict[int, list[VersionCommentRead]] = {}
    ids = {c.id for c in items}
    for c in items:
        if c.parent_id in ids:
            replies.setdefault(c.parent_id, []).append(c)

    def row(c: VersionCommentRead, reply: bool) -> RoomComment:
        anchored = c.frame is not None
        return RoomComment(
            id=c.id,
            author=c.author_name,
            is_client=c.is_client,
            body=c.body,
            frame=c.frame if anchored else -1,
            frame_label=str(start_frame + c.frame) if anchored else "",
            timecode=timecode(c.frame, fps) if anchored else "",
            when=when(c.created_at),
            for_client=c.visibility == "CLIENT",
            reply=reply,
            drawing=bool(c.shapes),
            edited=f"edited {when(c.edited_at)}" if c.edited_at and not c.deleted else "",
            deleted=c.deleted,
            can_edit=c.can_edit,
            can_delete=c.can_delete,
        )

    out = []
    for c in items:
        if c.parent_id in ids:
            continue
        out.append(row(c, False))
        out.extend(row(r, True) for r in replies.get(c.id, ()))
    return out


def player_media(m: VersionMediaRead | None, label: str) -> dict:
    """What the player component reads (assets/review_player.jsx): links signed for this
    viewer, sizes, rate, frame count."""
    if m is None:
        return {}
    return {
        "version_id": m.version_id,
        "label": label,
        "state": m.processing_state,
        "error": m.processing_error or "",
        "still": m.is_still,
        "fps": m.fps or 0,
        "frames": m.frame_count or 0,
        "width": m.width or 0,
        "height": m.height or 0,
        "src": m.proxy_url or "",
        "poster": m.poster_url or m.thumbnail_url or "",
        "expires": int(m.expires_at.timestamp() * 1000),
    }
