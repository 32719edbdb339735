"""Small presentational pieces: status badges, due-date chips, empty states."""

import reflex as rx

STATUS_COLORS = {
    "TODO": "gray",
    "IN_PROGRESS": "blue",
    "INTERNAL_REVIEW": "amber",
    "CLIENT_REVIEW": "violet",
    "CHANGES": "red",
    "DONE": "green",
}
STATUS_LABELS = {
    "TODO": "Todo",
    "IN_PROGRESS": "In Progress",
    "INTERNAL_REVIEW": "Internal Review",
    "CLIENT_REVIEW": "Client Review",
    "CHANGES": "Changes",
    "DONE": "Done",
}


def status_badge(status) -> rx.Component:
    return rx.match(
        status,
        *[
            (key, rx.badge(label, color_scheme=STATUS_COLORS[key], variant="soft", size="1"))
            for key, label in STATUS_LABELS.items()
        ],
        rx.badge(status, variant="soft", size="1"),
    )


def due_chip(label, tone) -> rx.Component:
    """tone: "overdue" (red), "soon" (amber, within 48 h), "ok" or "" (no date)."""
    return rx.cond(
        label != "",
        rx.text(
            label,
            size="1",
            weight="medium",
            color=rx.match(
                tone,
                ("overdue", rx.color("red", 11)),
                ("soon", rx.color("amber", 11)),
                rx.color("gray", 11),
            ),
        ),
        rx.text("—", size="1", color=rx.color("gray", 10)),
    )


def empty_state(title: str, hint: str, icon: str = "inbox") -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon(icon, size=28, color=rx.color("gray", 8)),
            rx.text(title, weight="medium"),
            rx.text(hint, size="2", color=rx.color("gray", 10), text_align="center"),
            align="center",
            spacing="2",
        ),
        padding="3em",
        border=f"1px dashed {rx.color('gray', 5)}",
        border_radius="10px",
        width="100%",
    )


def avatar(initials, size: str = "1") -> rx.Component:
    return rx.avatar(fallback=initials, size=size, radius="full", variant="soft")
