"""The page for a link that leads nowhere: what happened and the way home."""

import reflex as rx

from feedback_app import routes


def not_found_page() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.hstack(
                rx.icon("clapperboard", size=22, color=rx.color("accent", 10)),
                rx.text("FeedBack", weight="bold", size="4"),
                align="center",
                spacing="2",
            ),
            rx.heading("Page not found", size="6", id="not-found-title"),
            rx.text(
                "There is nothing at this address. The link may be mistyped, or what it "
                "pointed to has moved.",
                size="2",
                color=rx.color("gray", 11),
            ),
            rx.link(
                rx.button(rx.icon("house", size=14), "Go to the dashboard", size="2"),
                href=routes.DASHBOARD,
                id="not-found-home",
            ),
            spacing="4",
            align="start",
            max_width="420px",
            padding="28px",
            border=f"1px solid {rx.color('gray', 5)}",
            border_radius="12px",
            background=rx.color("gray", 2),
        ),
        min_height="100vh",
        padding="16px",
    )
