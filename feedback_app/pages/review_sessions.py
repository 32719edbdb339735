"""/projects/<id>/reviews: the project's client review links."""

from __future__ import annotations

import reflex as rx

from components.badges import empty_state
from components.forms import field, form_dialog
from components.live import LiveFollow
from components.shell import page_shell
from state.review_sessions import STATE_COLORS, ReviewSessionsState, SessionRow


def _confirm(
    trigger: rx.Component, title: tuple, text: str, action: str, on_confirm, confirm_class: str
) -> rx.Component:
    """A red action that asks first (Revoke, Withdraw): Cancel or the action again."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(trigger),
        rx.alert_dialog.content(
            rx.alert_dialog.title(*title),
            rx.alert_dialog.description(text),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button(
                        action, color_scheme="red", on_click=on_confirm, class_name=confirm_class
                    )
                ),
                justify="end",
                spacing="2",
                padding_top="12px",
            ),
        ),
    )


def _version(v: dict) -> rx.Component:
    return rx.hstack(
        rx.link(v["title"], href=v["href"], size="2"),
        rx.cond(
            v["shared"] != "",
            _confirm(
                rx.button(
                    "Withdraw",
                    size="1",
                    variant="ghost",
                    color_scheme="red",
                    class_name="session-withdraw",
                ),
                ("Withdraw ", v["title"], "?"),
                "The client no longer sees it, through this link or any other, nor in their "
                "portal. You can share it again later.",
                "Withdraw",
                ReviewSessionsState.unshare(v["id"]),
                "session-withdraw-confirm",
            ),
            rx.badge("withdrawn", size="1", color_scheme="gray"),
        ),
        align="center",
        spacing="2",
    )


def _session(r: SessionRow) -> rx.Component:
    active = r.state == "active"
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(r.name, weight="bold", size="3"),
                rx.badge(
                    r.state,
                    color_scheme=rx.match(r.state, *STATE_COLORS.items(), "gray"),
                    variant="soft",
                    class_name="session-state",
                ),
                rx.cond(r.has_password, rx.tooltip(rx.icon("lock", size=14), content="Password")),
                rx.spacer(),
                rx.text("expires ", r.expires, size="1", color=rx.color("gray", 10)),
                align="center",
                width="100%",
            ),
            rx.cond(
                active & (r.link != ""),
                rx.hstack(
                    rx.input(
                        value=ReviewSessionsState.origin + r.link,
                        read_only=True,
                        size="1",
                        width="100%",
                        class_name="session-link",
                    ),
                    rx.button(
                        rx.icon("copy", size=12),
                        "Copy link",
                        size="1",
                        on_click=ReviewSessionsState.copy(r.link),
                    ),
                    width="100%",
                ),
            ),
            rx.hstack(
                rx.vstack(
                    rx.text("Versions", size="1", weight="medium", color=rx.color("gray", 11)),
                    rx.cond(
                        r.versions.length() > 0,
                        rx.foreach(r.versions, _version),
                        rx.text("None yet", size="1", color=rx.color("gray", 9)),
                    ),
                    spacing="1",
                    flex="1",
                ),
                rx.vstack(
                    rx.text(
                        "Client activity",
                        size="1",
                        weight="medium",
                        color=rx.color("gray", 11),
                    ),
                    rx.cond(
                        r.activity.length() > 0,
                        rx.foreach(
                            r.activity,
                            lambda a: rx.text(
                                a["text"],
                                rx.text.span(" · ", a["when"], color=rx.color("gray", 9)),
                                size="1",
                                class_name="session-activity",
                            ),
                        ),
                        rx.text("Nothing yet", size="1", color=rx.color("gray", 9)),
                    ),
                    spacing="1",
                    flex="1",
                ),
                width="100%",
                align="start",
                spacing="4",
            ),
            rx.hstack(
                rx.text(
                    "Created ", r.created, " by ", r.created_by, size="1", color=rx.color("gray", 9)
                ),
                rx.spacer(),
                rx.cond(
                    r.state != "revoked",
                    rx.hstack(
                        rx.button(
                            rx.icon("calendar-plus", size=12),
                            "Extend 14 days",
                            size="1",
                            variant="soft",
                            on_click=ReviewSessionsState.extend(r.id),
                            class_name="session-extend",
                        ),
                        _confirm(
                            rx.button(
                                rx.icon("ban", size=12),
                                "Revoke",
                                size="1",
                                variant="soft",
                                color_scheme="red",
                                class_name="session-revoke",
                            ),
                            ("Revoke ", r.name, "?"),
                            "The link stops working at once for everyone who has it.",
                            "Revoke",
                            ReviewSessionsState.revoke(r.id),
                            "session-revoke-confirm",
                        ),
                        spacing="2",
                    ),
                ),
                width="100%",
                align="center",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        class_name="review-session",
        data_session_id=r.id,
    )


def _new_dialog() -> rx.Component:
    return form_dialog(
        title="New client review link",
        open_var=ReviewSessionsState.new_open,
        on_open_change=ReviewSessionsState.set_new_open,
        on_submit=ReviewSessionsState.create,
        error=ReviewSessionsState.new_error,
        submit_label="Create link",
        dialog_id="new-session",
        body=[
            field("Name", rx.input(name="name", placeholder="Default: project and date")),
            field("Expires (default in 14 days)", rx.input(name="expires_on", type="date")),
            field(
                "Password (optional)",
                rx.input(name="password", type="password", auto_complete="new-password"),
            ),
        ],
    )


def review_sessions_page() -> rx.Component:
    return page_shell(
        LiveFollow.create(
            hydrated=rx.State.is_hydrated,
            epoch=ReviewSessionsState.live_epoch,
            on_attach=ReviewSessionsState.attach,
            on_leave=ReviewSessionsState.leave,
        ),
        _new_dialog(),
        rx.cond(
            ReviewSessionsState.loaded,
            rx.vstack(
                rx.link(
                    rx.hstack(
                        rx.icon("arrow-left", size=14),
                        ReviewSessionsState.project_name,
                        align="center",
                    ),
                    href=ReviewSessionsState.board_href,
                    size="2",
                ),
                rx.cond(
                    ReviewSessionsState.rows.length() > 0,
                    rx.vstack(
                        rx.foreach(ReviewSessionsState.rows, _session),
                        spacing="3",
                        width="100%",
                        max_width="960px",
                        id="review-sessions",
                    ),
                    empty_state(
                        "No client review links yet",
                        "Share a version with the client from its review page, or create a "
                        "link here.",
                        "send",
                    ),
                ),
                spacing="3",
                width="100%",
            ),
            rx.spinner(),
        ),
        title="Client reviews",
        actions=rx.button(
            rx.icon("plus", size=14),
            "New review link",
            on_click=ReviewSessionsState.set_new_open(True),
            id="new-session-button",
        ),
    )
