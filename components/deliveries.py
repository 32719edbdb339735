"""The "Deliveries that failed" panel (dashboard, ADMIN/PRODUCER): shown only when there is
something to see."""

import reflex as rx

from state.deliveries import DeliveriesState, DeliveryRow


def _status(d: DeliveryRow) -> rx.Component:
    return rx.cond(
        d.status == "FAILED",
        rx.badge("Failed", color_scheme="red", variant="soft"),
        rx.tooltip(
            rx.badge("Retrying", color_scheme="amber", variant="soft"),
            content="Next try " + d.next_try,
        ),
    )


def _channel(d: DeliveryRow) -> rx.Component:
    return rx.hstack(
        rx.cond(d.channel == "SLACK", rx.icon("hash", size=14), rx.icon("mail", size=14)),
        rx.text(d.target, size="2", truncate=True, max_width="200px"),
        spacing="1",
        align="center",
        color=rx.color("gray", 12),
    )


def _row(d: DeliveryRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(_status(d)),
        rx.table.cell(_channel(d)),
        rx.table.cell(
            rx.vstack(
                rx.text(d.text, size="2", truncate=True, max_width="280px"),
                rx.text(d.project, " · ", d.when, size="1", color=rx.color("gray", 10)),
                spacing="0",
            )
        ),
        rx.table.cell(
            rx.tooltip(
                rx.text(
                    d.error,
                    size="1",
                    color=rx.color("red", 11),
                    truncate=True,
                    max_width="260px",
                    class_name="delivery-error",
                ),
                content=d.error,
            )
        ),
        rx.table.cell(rx.text(d.attempts, size="2"), text_align="center"),
        rx.table.cell(
            rx.cond(
                d.can_retry,
                rx.button(
                    rx.cond(
                        DeliveriesState.sending == d.id,
                        rx.spinner(size="1"),
                        rx.icon("rotate-cw", size=12),
                    ),
                    "Retry now",
                    size="1",
                    variant="soft",
                    disabled=DeliveriesState.sending != 0,
                    on_click=DeliveriesState.retry(d.id),
                    class_name="delivery-retry",
                ),
                rx.text("automatic", size="1", color=rx.color("gray", 10)),
            ),
            text_align="right",
        ),
        class_name="delivery-row",
        align="center",
    )


def failed_deliveries() -> rx.Component:
    return rx.cond(
        DeliveriesState.rows.length() > 0,
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.icon("triangle-alert", size=16, color=rx.color("red", 10)),
                    rx.text("Slack and email deliveries that failed", size="2", weight="bold"),
                    rx.badge(DeliveriesState.rows.length(), color_scheme="red", radius="full"),
                    align="center",
                    spacing="2",
                ),
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell("Status"),
                            rx.table.column_header_cell("To"),
                            rx.table.column_header_cell("Message"),
                            rx.table.column_header_cell("Error"),
                            rx.table.column_header_cell("Tries", text_align="center"),
                            rx.table.column_header_cell(""),
                        )
                    ),
                    rx.table.body(rx.foreach(DeliveriesState.rows, _row)),
                    size="1",
                    variant="ghost",
                    width="100%",
                ),
                spacing="2",
                width="100%",
            ),
            id="w-deliveries",
            width="100%",
            margin_top="12px",
        ),
    )
