"""What one board card sends to a browser. Routing facts (supervisor, watchers) stay on the
server; labels (due "2d overdue", v003, initials) are made by the board component, which knows
the viewer's clock."""

from __future__ import annotations

from typing import Any

from services.board import Card, Viewer, can_drag


def card_payload(card: Card, viewer: Viewer) -> dict[str, Any]:
    return {
        "id": card.id,
        "title": card.title,
        "type": card.type,
        "status": card.status,
        "sort": card.sort_order,
        "code": card.parent_code,
        "project": card.project_code,
        "artist": card.artist_name,
        "due": card.due_date.isoformat() if card.due_date else "",
        "version": card.version_number,
        "thumb": card.thumbnail_url,
        "comments": card.comment_count,
        "approval": card.approval,
        "drag": can_drag(viewer, card),
        "vid": card.version_id,
        "vready": card.version_ready,
        "shared": card.shared,
    }
