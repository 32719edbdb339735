"""The page for a link that leads nowhere: what happened and the way home."""

import reflex as rx

from components.gone import gone_card


def not_found_page() -> rx.Component:
    return rx.center(
        gone_card(
            "Page not found",
            "There is nothing at this address. The link may be mistyped, or what it "
            "pointed to has moved.",
            card_id="not-found",
            title_id="not-found-title",
        ),
        min_height="100vh",
        padding="16px",
    )
