"""Share With Client: the accent button (or its compact menu item) and the one dialog every
studio page with a share action mounts once (state/share.py)."""

from __future__ import annotations

import reflex as rx

from components.forms import error_callout, field
from state.share import NEW, ShareState


def share_button(version_id, state, shared, *, size: str = "2") -> rx.Component:
    """The prominent button for one version; once shared, a menu (copy link, share again
    with options, withdraw). Disabled, with the reason, while the proxy is processing."""
    ready = state == "READY"
    return rx.cond(
        shared,
        rx.menu.root(
            rx.menu.trigger(
                rx.button(
                    rx.icon("circle-check", size=14),
                    "Shared with client",
                    rx.icon("chevron-down", size=12),
                    variant="soft",
                    color_scheme="violet",
                    size=size,
                    class_name="share-menu",
                    data_version_id=version_id,
                )
            ),
            rx.menu.content(
                rx.menu.item(
                    rx.icon("link", size=14),
                    "Copy link",
                    on_select=ShareState.copy_link(version_id),
                    class_name="share-copy-link",
                ),
                rx.menu.item(
                    rx.icon("mail", size=14),
                    "Share again with options…",
                    on_select=ShareState.share_with_options(version_id),
                ),
                rx.menu.separator(),
                rx.menu.item(
                    rx.icon("undo-2", size=14),
                    "Withdraw from client",
                    color="red",
                    on_select=ShareState.unshare(version_id),
                    class_name="share-withdraw",
                ),
            ),
        ),
        rx.vstack(
            rx.hstack(
                rx.button(
                    rx.icon("send", size=14),
                    "Share With Client",
                    size=size,
                    disabled=~ready,
                    on_click=ShareState.share(version_id),
                    class_name="share-with-client",
                    data_version_id=version_id,
                ),
                rx.tooltip(
                    rx.icon_button(
                        rx.icon("settings-2", size=14),
                        variant="soft",
                        size=size,
                        disabled=~ready,
                        on_click=ShareState.share_with_options(version_id),
                        aria_label="Share with options",
                        class_name="share-options",
                    ),
                    content="Pick the review link, send the review email",
                ),
                spacing="1",
            ),
            rx.cond(
                ~ready,
                rx.text(
                    rx.cond(
                        state == "FAILED",
                        "Processing failed: retry it before sharing.",
                        "Available once processing is done.",
                    ),
                    size="1",
                    color=rx.color("gray", 10),
                    class_name="share-disabled-reason",
                ),
            ),
            spacing="1",
        ),
    )


def share_icon_button(version_id, state, shared) -> rx.Component:
    """A compact action for table rows and cards."""
    return rx.cond(
        shared,
        rx.tooltip(
            rx.icon_button(
                rx.icon("link", size=12),
                size="1",
                variant="ghost",
                color_scheme="violet",
                on_click=ShareState.copy_link(version_id).stop_propagation.prevent_default,
                class_name="row-copy-link",
            ),
            content="Shared with the client: copy the link",
        ),
        rx.tooltip(
            rx.icon_button(
                rx.icon("send", size=12),
                size="1",
                variant="ghost",
                disabled=state != "READY",
                on_click=ShareState.share(version_id).stop_propagation.prevent_default,
                class_name="row-share",
                data_version_id=version_id,
            ),
            content=rx.cond(
                state == "READY", "Share With Client", "Available once processing is done"
            ),
        ),
    )


def share_dialog() -> rx.Component:
    """Mount once per page that offers Share With Client."""
    new = ShareState.choice == NEW
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(
                rx.hstack(
                    rx.icon("send", size=18), rx.text("Share ", ShareState.title), spacing="2"
                )
            ),
            rx.dialog.description(
                rx.cond(
                    ShareState.sessions.length() > 0,
                    "Pick the client review link, or create a new one.",
                    "Create review link for client?",
                ),
                size="2",
                color=rx.color("gray", 11),
            ),
            rx.form(
                rx.vstack(
                    rx.cond(
                        ShareState.sessions.length() > 0,
                        field(
                            "Review link",
                            rx.select.root(
                                rx.select.trigger(width="100%", id="share-session"),
                                rx.select.content(
                                    rx.select.item("New review link", value=NEW),
                                    rx.foreach(
                                        ShareState.sessions,
                                        lambda o: rx.select.item(o["label"], value=o["value"]),
                                    ),
                                ),
                                value=ShareState.choice,
                                on_change=ShareState.set_choice,
                            ),
                        ),
                    ),
                    rx.cond(
                        new,
                        rx.vstack(
                            field(
                                "Name",
                                rx.input(
                                    name="name",
                                    default_value=ShareState.name,
                                    max_length=200,
                                    id="share-name",
                                    width="100%",
                                ),
                            ),
                            rx.hstack(
                                field(
                                    "Expires",
                                    rx.input(
                                        type="date",
                                        name="expires_on",
                                        default_value=ShareState.expires_on,
                                        id="share-expires",
                                    ),
                                ),
                                field(
                                    "Password (optional)",
                                    rx.input(
                                        type="password",
                                        name="password",
                                        max_length=200,
                                        id="share-password",
                                        auto_complete="new-password",
                                    ),
                                ),
                                width="100%",
                                spacing="3",
                            ),
                            rx.checkbox(
                                "Notify the project's client accounts in FeedBack",
                                name="notify_client",
                                default_checked=True,
                                size="1",
                                id="share-notify-client",
                            ),
                            spacing="3",
                            width="100%",
                        ),
                    ),
                    rx.cond(
                        ShareState.email_ready,
                        rx.checkbox(
                            "Send Review Email",
                            name="send_email",
                            # on the server too: it shows the address fields
                            checked=ShareState.send_email,
                            on_change=ShareState.set_send_email,
                            id="share-send-email",
                        ),
                        rx.text(
                            "Email is not set up on this server: copy the link after sharing.",
                            size="1",
                            color=rx.color("gray", 10),
                        ),
                    ),
                    rx.cond(
                        ShareState.send_email,
                        rx.vstack(
                            rx.text(
                                "To: ",
                                rx.cond(
                                    ShareState.contacts != "",
                                    ShareState.contacts,
                                    "no client contacts on this project yet",
                                ),
                                size="1",
                                color=rx.color("gray", 11),
                            ),
                            field(
                                "More addresses",
                                rx.input(
                                    name="extra",
                                    max_length=5000,
                                    placeholder="dana@client.com, lee@agency.com",
                                    id="share-extra",
                                    width="100%",
                                ),
                            ),
                            field(
                                "Message (optional)",
                                rx.text_area(
                                    name="message",
                                    max_length=5000,
                                    rows="3",
                                    id="share-message",
                                    width="100%",
                                ),
                            ),
                            spacing="2",
                            width="100%",
                        ),
                    ),
                    error_callout(ShareState.error),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button("Cancel", variant="soft", color_scheme="gray", type="button")
                        ),
                        rx.button(
                            rx.icon("send", size=14),
                            "Share",
                            type="submit",
                            id="share-submit",
                        ),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=ShareState.confirm,
                reset_on_submit=False,
            ),
            id="share-dialog",
            max_width="500px",
        ),
        open=ShareState.dialog_open,
        on_open_change=ShareState.set_dialog_open,
    )
