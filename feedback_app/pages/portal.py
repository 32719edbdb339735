import reflex as rx

from components.badges import empty_state
from components.shell import portal_shell
from state.portal import PortalState, SharedRow


def _row(r: SharedRow) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.icon("film", size=18, color=rx.color("accent", 10)),
            rx.vstack(
                rx.text(r.title, weight="bold"),
                rx.text(r.project, size="1", color=rx.color("gray", 10)),
                spacing="0",
            ),
            rx.spacer(),
            rx.text("Shared ", r.shared, size="1", color=rx.color("gray", 10)),
            align="center",
            width="100%",
        ),
        class_name="shared-version",
    )


def portal_page() -> rx.Component:
    return portal_shell(
        rx.cond(
            PortalState.shared.length() > 0,
            rx.vstack(rx.foreach(PortalState.shared, _row), spacing="2", max_width="720px"),
            empty_state(
                "Nothing to review yet",
                "Versions the studio shares with you will appear here.",
                "send",
            ),
        ),
        title="Shared with you",
    )
