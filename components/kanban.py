"""The kanban board component: assets/kanban.jsx (dnd-kit) wrapped for Reflex."""

from __future__ import annotations

import reflex as rx

from components.badges import STATUS_LABELS
from services.board import COLUMNS

BOARD_COLUMNS = [{"key": c, "label": STATUS_LABELS[c]} for c in COLUMNS]


class KanbanBoard(rx.Component):
    """Six status columns of cards; see assets/kanban.jsx for the data flow."""

    library = "$/public/kanban.jsx"
    tag = "KanbanBoard"
    lib_dependencies: list[str] = [
        "@dnd-kit/core@6.3.1",
        "@dnd-kit/sortable@10.0.0",
        "@dnd-kit/utilities@3.2.2",
    ]

    cards: rx.Var[list[dict]]
    epoch: rx.Var[str]
    feed: rx.Var[list[dict]]
    columns: rx.Var[list[dict]]
    hydrated: rx.Var[bool]
    # The page path the server last heard of (rx.State.router.url.path): on mount, a path other
    # than the browser's says a navigation's hydration is still to come.
    route_path: rx.Var[str]
    read_only: rx.Var[bool]
    empty_text: rx.Var[str]
    can_share: rx.Var[bool]  # the card menu offers Share With Client (staff)

    # (task id, status, id of the card now above it or 0, id of the card now below it or 0)
    on_move: rx.EventHandler[rx.event.passthrough_event_spec(int, str, int, int)]
    # (location.search of the page): the page is hydrated, (re)load the board
    on_need_board: rx.EventHandler[rx.event.passthrough_event_spec(str)]
    on_gap: rx.EventHandler[rx.event.no_args_event_spec]
    on_leave: rx.EventHandler[rx.event.no_args_event_spec]
    # (version id): the card menu's Share With Client / Copy client link
    on_share: rx.EventHandler[rx.event.passthrough_event_spec(int)]
    on_copy_link: rx.EventHandler[rx.event.passthrough_event_spec(int)]


kanban_board = KanbanBoard.create
