"""The "nothing here" card: the not-found page's look, also shown in place of a page whose
subject (a project, a task, a version) was deleted or withdrawn while it was open."""

import reflex as rx

from feedback_app import routes


def gone_card(title, message, *, card_id: str = "gone", title_id: str = "gone-title"):
    """`title` and `message` may be strings or state vars."""
    return rx.vstack(
        rx.hstack(
            rx.icon("clapperboard", size=22, color=rx.color("accent", 10)),
            rx.text("FeedBack", weight="bold", size="4"),
            align="center",
            spacing="2",
        ),
        rx.heading(title, size="6", id=title_id),
        rx.text(message, size="2", color=rx.color("gray", 11), id=f"{card_id}-message"),
        rx.link(
            rx.button(rx.icon("house", size=14), "Go to the dashboard", size="2"),
            href=routes.DASHBOARD,
            id=f"{card_id}-home",
        ),
        spacing="4",
        align="start",
        max_width="420px",
        padding="28px",
        border=f"1px solid {rx.color('gray', 5)}",
        border_radius="12px",
        background=rx.color("gray", 2),
        id=card_id,
    )


def gone_notice(title, message) -> rx.Component:
    """In a page's body, centred: what was open is not available any more."""
    return rx.center(gone_card(title, message), width="100%", padding_y="48px")
