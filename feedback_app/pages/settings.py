"""/settings/notifications: one row per notification type, a Slack and an email switch that
save at once. In-app notifications (the bell) are always on."""

import reflex as rx

from components.shell import page_shell
from state.settings import NotificationSettingsState, PreferenceRow


def _switch(row: PreferenceRow, channel: str, checked) -> rx.Component:
    return rx.switch(
        checked=checked,
        on_change=lambda on: NotificationSettingsState.toggle(row.type, channel, on),
        size="2",
        id=f"pref-{channel}-" + row.type,
        aria_label=channel.title() + ": " + row.label,
    )


def _row(row: PreferenceRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text(row.label, size="2"), padding_y="12px"),
        rx.table.cell(rx.badge("Always", variant="soft", color_scheme="gray"), align="center"),
        rx.table.cell(_switch(row, "slack", row.slack), align="center"),
        rx.table.cell(_switch(row, "email", row.email), align="center"),
        class_name="pref-row",
        align="center",
    )


def _unavailable(flag, text: str, item_id: str) -> rx.Component:
    return rx.cond(
        ~flag,
        rx.callout(
            text,
            icon="info",
            size="1",
            color_scheme="gray",
            variant="surface",
            id=item_id,
        ),
    )


def _header(label: str, icon: str) -> rx.Component:
    return rx.table.column_header_cell(
        rx.hstack(rx.icon(icon, size=14), rx.text(label), spacing="1", justify="center"),
        text_align="center",
        width="110px",
    )


def notification_settings_page() -> rx.Component:
    return page_shell(
        rx.vstack(
            rx.text(
                "Choose where you hear about what happens to your work. "
                "Changes are saved as you switch.",
                size="2",
                color=rx.color("gray", 11),
            ),
            _unavailable(
                NotificationSettingsState.email_available,
                "This server sends no email yet (no SMTP configured): email choices are kept "
                "for when it does.",
                "email-unavailable",
            ),
            _unavailable(
                NotificationSettingsState.slack_available,
                "None of your projects posts to Slack yet: Slack choices are kept for when "
                "one does.",
                "slack-unavailable",
            ),
            rx.card(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell("Notify me when…"),
                            _header("In-app", "bell"),
                            _header("Slack", "hash"),
                            _header("Email", "mail"),
                        )
                    ),
                    rx.table.body(rx.foreach(NotificationSettingsState.rows, _row)),
                    variant="ghost",
                    size="2",
                    width="100%",
                ),
                width="100%",
                id="notification-settings",
            ),
            spacing="3",
            width="100%",
            max_width="760px",
        ),
        title="Notification settings",
    )
