"""The notification bell: unread count, a panel of the latest, mark read / mark all read."""

import reflex as rx

from feedback_app import routes
from state.bell import BellState, NoteRow


def _note(n: NoteRow) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.cond(
                n.is_read,
                rx.box(width="8px"),
                rx.box(
                    width="8px", height="8px", border_radius="50%", background=rx.color("accent", 9)
                ),
            ),
            rx.vstack(
                rx.text(
                    rx.cond(
                        n.project != "",
                        rx.text.span(
                            n.project,
                            size="1",
                            color=rx.color("gray", 10),
                            weight="medium",
                            margin_right="6px",
                            class_name="notification-project",
                        ),
                    ),
                    n.text,
                    size="2",
                    weight=rx.cond(n.is_read, "regular", "medium"),
                ),
                rx.text(n.when, size="1", color=rx.color("gray", 10)),
                spacing="0",
            ),
            align="center",
            spacing="2",
        ),
        on_click=BellState.open_note(n.id, n.link),
        padding="8px",
        border_radius="6px",
        cursor="pointer",
        _hover={"background": rx.color("gray", 4)},
        class_name="notification",
        width="100%",
    )


def bell() -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.icon("bell", size=16),
                rx.cond(
                    BellState.unread > 0,
                    rx.badge(
                        BellState.unread,
                        color_scheme="red",
                        size="1",
                        id="bell-count",
                        variant="solid",
                        radius="full",
                        # Radix's red-9 gives white text 3.9:1; this red gives 5.8:1.
                        style={"background_color": "#c2262e", "color": "white"},
                    ),
                ),
                variant="ghost",
                color_scheme="gray",
                size="1",
                id="bell",
            )
        ),
        rx.popover.content(
            rx.vstack(
                rx.hstack(
                    rx.text("Notifications", weight="bold", size="2"),
                    rx.spacer(),
                    rx.button(
                        "Mark all read",
                        size="1",
                        variant="ghost",
                        on_click=BellState.mark_all_read,
                        id="mark-all-read",
                    ),
                    rx.tooltip(
                        rx.link(
                            rx.icon("settings", size=14),
                            href=routes.SETTINGS_NOTIFICATIONS,
                            color=rx.color("gray", 11),
                            id="bell-settings",
                            aria_label="Notification settings",
                            display="flex",
                        ),
                        content="Slack and email settings",
                    ),
                    width="100%",
                    align="center",
                ),
                rx.cond(
                    BellState.notes.length() > 0,
                    rx.scroll_area(
                        rx.vstack(rx.foreach(BellState.notes, _note), spacing="0", width="100%"),
                        max_height="360px",
                    ),
                    rx.text("You're all caught up.", size="2", color=rx.color("gray", 10)),
                ),
                width="320px",
                spacing="2",
            ),
            side="right",
            align="start",
        ),
        on_open_change=BellState.open_panel,
    )
