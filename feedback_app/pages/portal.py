"""The client portal: what was shared, and the player to review it. Two doors, one look:
/portal for CLIENT users (signed in), /r/<token> for whoever holds a review link. No studio
navigation, no production data: only what services.portal reads for that viewer."""

from __future__ import annotations

import reflex as rx

from components.badges import empty_state
from components.forms import error_callout, field
from components.live import LiveFollow
from components.player import review_player
from components.review import APPROVE_STYLE, beside, comment_item, thumbnail
from state.base import AppState
from state.portal import PortalCard, PortalRoomState, PortalState, PortalVersionCard
from state.review_rows import RoomComment

DECISION_COLORS = {"APPROVED": "green", "CHANGES_REQUESTED": "orange"}


def _header(name: rx.Var, signed_in: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.icon("clapperboard", size=20, color=rx.color("accent", 10)),
        rx.text("FeedBack", weight="bold", size="4"),
        rx.text("Client review", size="2", color=rx.color("gray", 10)),
        rx.spacer(),
        rx.cond(name != "", rx.text(name, size="2", id="nav-user")),
        rx.cond(
            signed_in,
            rx.button("Sign out", variant="ghost", size="1", on_click=AppState.sign_out),
        ),
        align="center",
        spacing="3",
        padding="12px 24px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        width="100%",
    )


def _shell(*children, name: rx.Var, signed_in: rx.Var) -> rx.Component:
    return rx.box(
        _header(name, signed_in),
        rx.box(*children, padding="24px", max_width="1400px", margin="0 auto"),
        min_height="100vh",
    )


def _decision_badge(decision, label) -> rx.Component:
    return rx.cond(
        decision != "",
        rx.badge(
            label,
            color_scheme=rx.match(decision, *DECISION_COLORS.items(), "gray"),
            variant="soft",
            size="1",
            class_name="client-decision",
        ),
    )


# ---------------------------------------------------------------- the list


def _card(c: PortalCard) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.box(thumbnail(c.thumb, "100%", "150px"), width="100%", overflow="hidden"),
                rx.flex(
                    # the code and task stay on one line; the decision moves to the next
                    # when the card is too narrow for all three
                    rx.text(
                        c.title,
                        weight="bold",
                        size="3",
                        white_space="nowrap",
                        overflow="hidden",
                        text_overflow="ellipsis",
                        max_width="100%",
                        title=c.title,
                    ),
                    rx.badge(c.label, variant="surface", size="1"),
                    rx.box(
                        _decision_badge(c.decision, c.decision_label),
                        margin_left="auto",
                    ),
                    align="center",
                    wrap="wrap",
                    gap="6px 8px",
                    width="100%",
                ),
                rx.hstack(
                    rx.text(c.project, size="1", color=rx.color("gray", 10)),
                    rx.spacer(),
                    rx.text("Shared ", c.shared, size="1", color=rx.color("gray", 10)),
                    width="100%",
                ),
                rx.cond(
                    c.earlier.length() > 0,
                    rx.text(
                        "Earlier: ",
                        rx.foreach(c.earlier, lambda e: rx.text.span(e["label"], " ")),
                        size="1",
                        color=rx.color("gray", 9),
                    ),
                ),
                spacing="2",
                width="100%",
            ),
            _hover={"border_color": rx.color("accent", 8)},
        ),
        href=c.href,
        underline="none",
        color="inherit",
        class_name="shared-version",
        data_version_id=c.id,
    )


def _list() -> rx.Component:
    return rx.vstack(
        LiveFollow.create(
            hydrated=rx.State.is_hydrated,
            epoch=PortalState.live_epoch,
            on_attach=PortalState.attach,
            on_leave=PortalState.leave,
        ),
        rx.hstack(
            rx.heading(
                rx.cond(
                    PortalState.session_name != "", PortalState.session_name, "Shared with you"
                ),
                size="5",
                id="page-title",
            ),
            rx.cond(
                PortalState.project_name != "",
                rx.text(PortalState.project_name, size="2", color=rx.color("gray", 10)),
            ),
            align="baseline",
            spacing="3",
        ),
        rx.cond(
            PortalState.cards.length() > 0,
            rx.grid(
                rx.foreach(PortalState.cards, _card),
                columns=rx.breakpoints(initial="1", sm="2", md="3", lg="4"),
                spacing="4",
                width="100%",
                id="portal-list",
            ),
            empty_state(
                "Nothing to review yet",
                "Versions the studio shares with you will appear here.",
                "send",
            ),
        ),
        spacing="4",
        width="100%",
    )


def portal_page() -> rx.Component:
    """/portal: a CLIENT user's shared versions."""
    return _shell(
        rx.cond(PortalState.loaded, _list(), rx.center(rx.spinner(), padding="40px")),
        name=PortalState.viewer_name,
        signed_in=True,
    )


# ---------------------------------------------------------------- a review link's door


def _closed(title: str, text: str, icon: str) -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon(icon, size=36, color=rx.color("gray", 9)),
            rx.heading(title, size="5"),
            rx.text(text, color=rx.color("gray", 11), text_align="center"),
            align="center",
            spacing="3",
            max_width="420px",
            id="link-closed",
        ),
        padding_top="12vh",
    )


def _gate() -> rx.Component:
    return rx.center(
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading(PortalState.session_name, size="5"),
                    rx.text(
                        PortalState.project_name,
                        " has shared work for your review.",
                        color=rx.color("gray", 11),
                        size="2",
                    ),
                    field(
                        "Your name",
                        rx.input(
                            name="name",
                            placeholder="So the studio knows who commented",
                            required=True,
                            max_length=120,
                            auto_focus=True,
                            id="guest-name",
                            width="100%",
                        ),
                    ),
                    rx.cond(
                        PortalState.needs_password,
                        field(
                            "Password",
                            rx.input(
                                name="password",
                                type="password",
                                id="link-password",
                                width="100%",
                            ),
                        ),
                    ),
                    error_callout(PortalState.gate_error),
                    rx.button("Open review", type="submit", width="100%", id="enter-link"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=PortalState.enter,
                reset_on_submit=False,
            ),
            width="380px",
        ),
        padding_top="10vh",
    )


def link_page() -> rx.Component:
    """/r/<token>: a review link. Invalid, expired and revoked links say only that."""
    return _shell(
        rx.cond(
            PortalState.loaded,
            rx.match(
                PortalState.link_state,
                (
                    "invalid",
                    _closed(
                        "This link does not work",
                        "Check that you copied the whole address, or ask the studio for a new "
                        "link.",
                        "link-2-off",
                    ),
                ),
                (
                    "expired",
                    _closed(
                        "This review link has expired",
                        "Ask the studio to extend it or to send you a new one.",
                        "clock",
                    ),
                ),
                (
                    "revoked",
                    _closed(
                        "This review link was withdrawn",
                        "The studio closed this link. Ask them for a new one.",
                        "ban",
                    ),
                ),
                rx.cond(PortalState.needs_name, _gate(), _list()),
            ),
            rx.center(rx.spinner(), padding="40px"),
        ),
        name=PortalState.viewer_name,
        signed_in=False,
    )


# ---------------------------------------------------------------- the player


def _version_thumb(v: PortalVersionCard) -> rx.Component:
    current = v.id == PortalRoomState.version_id
    return rx.link(
        rx.box(
            thumbnail(v.thumb, "128px", "72px"),
            rx.text(v.label, size="1", weight="bold", padding="2px 6px"),
            border=rx.cond(
                current, f"2px solid {rx.color('accent', 9)}", f"2px solid {rx.color('gray', 4)}"
            ),
            border_radius="6px",
            overflow="hidden",
        ),
        href=v.href,
        underline="none",
        color="inherit",
        class_name="version-thumb",
        data_version_id=v.id,
        data_current=rx.cond(current, "1", "0"),
    )


def _comment(c: RoomComment) -> rx.Component:
    return comment_item(c, PortalRoomState.current_frame, actions=PortalRoomState)


def _decision_box() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(
                    "Your decision on ", PortalRoomState.version_label, weight="bold", size="2"
                ),
                rx.spacer(),
                _decision_badge(PortalRoomState.decision, PortalRoomState.decision_label),
                width="100%",
                align="center",
            ),
            rx.cond(
                PortalRoomState.can_decide,
                rx.vstack(
                    rx.text_area(
                        value=PortalRoomState.approval_note,
                        on_change=PortalRoomState.set_approval_note,
                        placeholder="Note for the studio (needed to request changes)",
                        rows="3",
                        width="100%",
                        id="client-note",
                    ),
                    rx.hstack(
                        rx.button(
                            rx.icon("circle-check", size=14),
                            "Approve",
                            color_scheme="green",
                            on_click=PortalRoomState.approve,
                            id="client-approve",
                            style=APPROVE_STYLE,
                        ),
                        rx.button(
                            rx.icon("rotate-ccw", size=14),
                            "Request changes",
                            color_scheme="orange",
                            variant="soft",
                            on_click=PortalRoomState.request_changes,
                            id="client-request-changes",
                        ),
                        spacing="2",
                    ),
                    spacing="2",
                    width="100%",
                ),
                rx.text(
                    rx.cond(
                        PortalRoomState.latest,
                        "Decisions are not open on this version.",
                        "A newer version was shared: review that one.",
                    ),
                    size="2",
                    color=rx.color("gray", 10),
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        id="client-decision-box",
    )


def _history() -> rx.Component:
    return rx.cond(
        PortalRoomState.decisions.length() > 0,
        rx.vstack(
            rx.heading("Decisions", size="3"),
            rx.foreach(
                PortalRoomState.decisions,
                lambda d: rx.vstack(
                    rx.hstack(
                        rx.text(d.who, size="2", weight="medium"),
                        rx.text(d.label, " ", d.version, size="2"),
                        spacing="2",
                    ),
                    rx.cond(d.note != "", rx.text("“", d.note, "”", size="1")),
                    rx.text(d.when, size="1", color=rx.color("gray", 10)),
                    spacing="0",
                    class_name="client-decision-row",
                ),
            ),
            spacing="2",
            width="100%",
        ),
    )


def _room() -> rx.Component:
    return rx.vstack(
        rx.link(
            rx.hstack(
                rx.icon("arrow-left", size=14), "All shared work", align="center", spacing="1"
            ),
            href=PortalRoomState.back_href,
            size="2",
            white_space="nowrap",
            id="portal-back",
        ),
        rx.hstack(
            rx.heading(
                PortalRoomState.title, " ", PortalRoomState.version_label, size="5", id="page-title"
            ),
            rx.text(PortalRoomState.project_name, size="2", color=rx.color("gray", 10)),
            align="baseline",
            spacing="3",
        ),
        rx.cond(
            PortalRoomState.media.length() > 0,
            beside(
                rx.vstack(
                    review_player(
                        media=PortalRoomState.media,
                        compare={},
                        start_frame=PortalRoomState.start_frame,
                        initial_frame=PortalRoomState.initial_frame,
                        load_seq=PortalRoomState.load_seq,
                        annotations=PortalRoomState.annotations,
                        can_comment=PortalRoomState.can_comment,
                        can_share=False,
                        draft_reset=PortalRoomState.draft_reset,
                        hydrated=rx.State.is_hydrated,
                        live_epoch=PortalRoomState.live_epoch,
                        on_frame=PortalRoomState.frame_changed,
                        on_comment=PortalRoomState.post_comment,
                        on_media_expired=PortalRoomState.media_expired,
                        on_attach=PortalRoomState.attach,
                        on_leave=PortalRoomState.leave,
                    ),
                    rx.hstack(
                        rx.foreach(PortalRoomState.versions, _version_thumb),
                        spacing="2",
                        overflow_x="auto",
                        width="100%",
                        id="version-switcher",
                    ),
                    width="100%",
                    spacing="3",
                ),
                rx.vstack(
                    _decision_box(),
                    rx.hstack(
                        rx.heading("Comments", size="3"),
                        rx.badge(PortalRoomState.comments.length(), variant="soft", size="1"),
                        rx.spacer(),
                        rx.text(
                            "frame ",
                            PortalRoomState.current_frame_label,
                            size="1",
                            color=rx.color("gray", 10),
                        ),
                        width="100%",
                        align="center",
                    ),
                    rx.cond(
                        PortalRoomState.comments.length() > 0,
                        rx.vstack(
                            rx.foreach(PortalRoomState.comments, _comment),
                            spacing="1",
                            width="100%",
                            max_height="52vh",
                            overflow_y="auto",
                            id="comment-list",
                        ),
                        rx.text(
                            "No comments yet. Pause on a frame, draw on it and write what you see.",
                            size="2",
                            color=rx.color("gray", 9),
                            id="comment-list",
                        ),
                    ),
                    _history(),
                    width="100%",
                    spacing="4",
                ),
            ),
            _closed(
                "This version is no longer shared",
                "The studio withdrew it. Go back to the list for what is there now.",
                "undo-2",
            ),
        ),
        spacing="3",
        width="100%",
    )


def portal_review_page() -> rx.Component:
    """/portal/review/<version> and /r/<token>/<version>."""
    return _shell(
        rx.cond(PortalRoomState.loaded, _room(), rx.center(rx.spinner(), padding="40px")),
        name=PortalRoomState.viewer_name,
        signed_in=PortalRoomState.link_token == "",
    )
