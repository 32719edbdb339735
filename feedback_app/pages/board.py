"""The kanban board: the filter bar and the dnd-kit board. Shown as the project page's Kanban
tab (`board_section`), on /projects/[id]/board (?shot=ID / ?asset=ID for one shot's or
asset's tasks) and on /tasks/board (?artist=ID, one artist's tasks across projects)."""

import reflex as rx

from components.kanban import BOARD_COLUMNS, kanban_board
from components.shell import page_shell
from state.board import ALL, BoardCardsState, BoardFeedState, BoardState, ChoiceRow
from state.share import ShareState


def _select(name: str, value, items, all_label: str, width: str = "170px") -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id=f"board-filter-{name}", width=width),
        rx.select.content(
            rx.select.item(all_label, value=ALL),
            rx.foreach(items, lambda c: rx.select.item(c.label, value=c.value)),
        ),
        value=value,
        on_change=lambda v: BoardState.set_filter(name, v),
        size="1",
    )


_DUE = [ChoiceRow("overdue", "Overdue"), ChoiceRow("week", "Due this week")]


def artist_picker() -> rx.Component:
    """/tasks/board for a lead: whose board this is (?artist=ID in the URL)."""
    return rx.select.root(
        rx.select.trigger(placeholder="Pick an artist", id="board-artist-picker", width="220px"),
        rx.select.content(
            rx.foreach(BoardState.studio_artists, lambda c: rx.select.item(c.label, value=c.value)),
        ),
        value=rx.cond(BoardState.artist_id > 0, BoardState.artist_id.to_string(), ""),
        on_change=BoardState.set_artist,
        size="1",
    )


def _picking() -> rx.Component:
    return rx.vstack(
        artist_picker(),
        rx.callout(
            "No artist has tasks yet. Pick an artist to see their board.",
            icon="users",
            color_scheme="gray",
            id="board-pick-artist",
        ),
        spacing="3",
        align="start",
    )


def filter_bar() -> rx.Component:
    return rx.hstack(
        rx.cond(
            BoardState.kind == "project",
            _select("artist", BoardState.filter_artist, BoardState.artists, "All artists"),
            rx.cond(
                (BoardState.studio_artists.length() > 0) & ~BoardState.picking, artist_picker()
            ),
        ),
        _select("type", BoardState.filter_type, BoardState.types, "All task types", "150px"),
        _select("parent", BoardState.filter_parent, BoardState.parents, "All shots & assets"),
        _select("due", BoardState.filter_due, _DUE, "Any due date", "150px"),
        rx.input(
            rx.input.slot(rx.icon("search", size=14)),
            # Remounted by "Clear filters" (uncontrolled: typing is never interrupted).
            key=BoardState.cleared.to_string(),
            default_value=BoardState.filter_text,
            placeholder="Search cards",
            on_change=lambda v: BoardState.set_filter("text", v).debounce(350),
            id="board-filter-text",
            size="1",
            width="200px",
        ),
        rx.cond(
            BoardState.filtered,
            rx.button(
                "Clear filters",
                variant="ghost",
                size="1",
                on_click=BoardState.clear_filters,
                id="board-filter-clear",
            ),
        ),
        rx.spacer(),
        rx.text(
            BoardState.shown,
            " of ",
            BoardState.total,
            " cards",
            size="1",
            color=rx.color("gray", 10),
            id="board-card-count",
        ),
        spacing="2",
        align="center",
        width="100%",
        wrap="wrap",
        padding_bottom="12px",
    )


def board_section() -> rx.Component:
    refused = BoardState.refused != ""
    hidden = refused | BoardState.picking
    return rx.box(
        rx.cond(
            refused,
            rx.callout(BoardState.refused, icon="ban", color_scheme="red", id="board-refused"),
        ),
        rx.cond(BoardState.picking, _picking()),
        # Kept mounted when refused or picking (just hidden): it (re)loads the board.
        rx.box(
            filter_bar(),
            kanban_board(
                cards=BoardCardsState.cards,
                epoch=BoardCardsState.epoch,
                feed=BoardFeedState.feed,
                columns=BOARD_COLUMNS,
                hydrated=rx.State.is_hydrated,
                route_path=rx.State.router.url.path,
                read_only=False,
                empty_text=rx.cond(
                    BoardState.filtered,
                    "No card matches these filters.",
                    "No tasks on this board.",
                ),
                on_move=BoardFeedState.move,
                on_need_board=BoardState.load,
                on_gap=BoardState.refetch,
                on_leave=BoardFeedState.leave,
                can_share=BoardState.is_staff,
                on_share=ShareState.share,
                on_copy_link=ShareState.copy_link,
            ),
            display=rx.cond(hidden, "none", "block"),
            width="100%",
        ),
        width="100%",
    )


def board_page() -> rx.Component:
    return page_shell(
        board_section(),
        title=rx.cond(BoardState.title != "", BoardState.title + " · Board", "Board"),
    )
