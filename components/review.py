"""The review room around the player, shared by /review/<id> and the task page: the player,
the version switcher, comments beside it, approve / request changes, the approval history,
the upload button, and the task page's version table."""

from __future__ import annotations

import reflex as rx

from components.badges import empty_state
from components.forms import confirm_dialog
from components.player import review_player
from components.share import share_button, share_icon_button
from components.upload import version_upload
from state.review import ReviewState
from state.review_rows import RoomComment, VersionCard
from state.rows import ApprovalRow

STATE_COLORS = {"QUEUED": "gray", "PROCESSING": "amber", "READY": "green", "FAILED": "red"}

# Approve (studio and client): white on Radix's dark green-9 is 3.16:1; this green holds
# 5.3:1, 5.0:1 under the pointer (WCAG AA asks 4.5:1 for button text).
APPROVE_STYLE = {
    "background": "#1e7a4c",
    "color": "white",
    "_hover": {"background": "#207f50"},
}


def processing_badge(state, label) -> rx.Component:
    return rx.badge(
        rx.cond(state == "PROCESSING", rx.spinner(size="1"), rx.fragment()),
        label,
        color_scheme=rx.match(state, *STATE_COLORS.items(), "gray"),
        variant="soft",
        size="1",
        class_name="processing-state",
        data_state=state,
    )


def upload_button() -> rx.Component:
    return rx.cond(
        ReviewState.can_upload & (ReviewState.task_id > 0),
        version_upload(
            upload_url=ReviewState.upload_url,
            max_bytes=ReviewState.upload_max_bytes,
            extensions=ReviewState.upload_extensions,
            accept=ReviewState.upload_accept,
            label=rx.cond(
                ReviewState.versions.length() > 0, "Upload new version", "Upload first version"
            ),
            task_label=ReviewState.task_label,
            disabled=False,
            versions=ReviewState.versions,
            on_uploaded=ReviewState.uploaded,
        ),
    )


# ---------------------------------------------------------------- the player column


def _processing_notice() -> rx.Component:
    return rx.cond(
        ReviewState.media_state == "FAILED",
        rx.callout(
            rx.hstack(
                rx.text("Processing failed: ", ReviewState.media_error, size="2"),
                rx.spacer(),
                rx.cond(
                    ReviewState.can_retry,
                    rx.button(
                        rx.icon("refresh-cw", size=12),
                        "Retry",
                        size="1",
                        on_click=ReviewState.retry_processing(ReviewState.version_id),
                        id="retry-processing",
                    ),
                ),
                align="center",
                width="100%",
            ),
            icon="triangle-alert",
            color_scheme="red",
            size="1",
            width="100%",
            id="processing-failed",
        ),
    )


def thumbnail(src, width: str, height: str) -> rx.Component:
    """A version's thumbnail, or a film icon on grey while there is none."""
    return rx.cond(
        src != "",
        rx.image(src=src, width=width, height=height, object_fit="cover", loading="lazy"),
        rx.center(
            rx.icon("film", size=20, color=rx.color("gray", 8)),
            width=width,
            height=height,
            background=rx.color("gray", 3),
        ),
    )


def version_menu(v: VersionCard) -> rx.Component:
    """⋯ on a version the viewer may delete (staff: any; its uploader while nobody else has
    commented or decided on it)."""
    return rx.cond(
        v.can_delete,
        rx.box(
            rx.dropdown_menu.root(
                rx.dropdown_menu.trigger(
                    rx.icon_button(
                        rx.icon("ellipsis", size=12),
                        size="1",
                        variant="ghost",
                        color_scheme="gray",
                        aria_label="Version actions",
                        on_click=rx.stop_propagation,
                        class_name="version-menu",
                    )
                ),
                rx.dropdown_menu.content(
                    rx.dropdown_menu.item(
                        rx.icon("trash-2", size=12),
                        "Delete",
                        color_scheme="red",
                        on_select=ReviewState.ask_delete_version(v.id),
                        class_name="version-delete",
                    ),
                    size="1",
                ),
            ),
            # the menu's clicks stay here: the row or thumbnail around it selects the version
            on_click=rx.stop_propagation,
        ),
    )


def delete_version_dialog() -> rx.Component:
    return confirm_dialog(
        "Delete " + ReviewState.delete_title + "?",
        "Its file, comments, drawings and decisions are deleted with it. This cannot be undone.",
        "Delete version",
        ReviewState.delete_version,
        open=ReviewState.delete_id > 0,
        on_open_change=ReviewState.set_delete_open,
        id_prefix="version-delete",
        max_width="440px",
    )


def _thumb(v: VersionCard) -> rx.Component:
    current = v.id == ReviewState.version_id
    return rx.box(
        thumbnail(v.thumb, "128px", "72px"),
        rx.hstack(
            rx.text(v.label, size="1", weight="bold"),
            rx.cond(v.state != "READY", processing_badge(v.state, v.state_label)),
            rx.spacer(),
            rx.cond(
                v.comments > 0,
                rx.hstack(rx.icon("message-square", size=10), rx.text(v.comments), spacing="1"),
            ),
            version_menu(v),
            font_size="11px",
            align="center",
            padding="2px 4px",
            spacing="1",
        ),
        on_click=ReviewState.select_version(v.id),
        cursor="pointer",
        border=rx.cond(
            current, f"2px solid {rx.color('accent', 9)}", f"2px solid {rx.color('gray', 4)}"
        ),
        border_radius="6px",
        overflow="hidden",
        min_width="132px",
        class_name="version-thumb",
        data_version_id=v.id,
        data_current=rx.cond(current, "1", "0"),
    )


def version_switcher() -> rx.Component:
    return rx.hstack(
        rx.foreach(ReviewState.versions, _thumb),
        spacing="2",
        overflow_x="auto",
        width="100%",
        padding_bottom="4px",
        id="version-switcher",
    )


def player_column() -> rx.Component:
    return rx.vstack(
        _processing_notice(),
        review_player(
            media=ReviewState.media,
            compare=ReviewState.compare,
            start_frame=ReviewState.start_frame,
            initial_frame=ReviewState.initial_frame,
            load_seq=ReviewState.load_seq,
            annotations=ReviewState.annotations,
            can_comment=ReviewState.can_comment,
            can_share=ReviewState.can_comment_for_client,
            draft_reset=ReviewState.draft_reset,
            hydrated=rx.State.is_hydrated,
            live_epoch=ReviewState.live_epoch,
            on_frame=ReviewState.frame_changed,
            on_comment=ReviewState.post_comment,
            on_media_expired=ReviewState.media_expired,
            on_attach=ReviewState.attach,
            on_leave=ReviewState.leave,
        ),
        rx.cond(
            ReviewState.version_note != "",
            rx.text(
                ReviewState.version_label,
                ": ",
                ReviewState.version_note,
                size="2",
                color=rx.color("gray", 11),
                white_space="pre-wrap",
            ),
        ),
        version_switcher(),
        width="100%",
        spacing="3",
    )


# ---------------------------------------------------------------- the side panel


def _text_form(
    area: rx.Component,
    *,
    on_submit,
    on_cancel,
    submit: str,
    submit_class: str,
    cancel_class: str,
    reset_on_submit: bool,
    extra: rx.Component | None = None,
) -> rx.Component:
    """A text box under a comment with Cancel and a submit button (Enter is a new line). A
    click inside does not seek the player."""
    return rx.form(
        rx.vstack(
            area,
            rx.hstack(
                extra if extra is not None else rx.fragment(),
                rx.spacer(),
                rx.button(
                    "Cancel",
                    size="1",
                    variant="ghost",
                    type="button",
                    on_click=on_cancel,
                    class_name=cancel_class,
                ),
                rx.button(submit, size="1", type="submit", class_name=submit_class),
                width="100%",
                align="center",
            ),
            spacing="1",
            width="100%",
        ),
        on_submit=on_submit,
        reset_on_submit=reset_on_submit,
        width="100%",
        padding_top="4px",
        on_click=rx.stop_propagation,
    )


def _reply_box() -> rx.Component:
    return _text_form(
        rx.text_area(
            name="body",
            placeholder="Reply…",
            rows="2",
            width="100%",
            auto_focus=True,
            class_name="reply-body",
        ),
        extra=rx.cond(
            ReviewState.can_comment_for_client,
            rx.checkbox(
                "client can see it",
                checked=ReviewState.reply_for_client,
                on_change=ReviewState.set_reply_for_client,
                size="1",
                class_name="reply-for-client",
            ),
        ),
        on_submit=ReviewState.post_reply,
        on_cancel=ReviewState.close_reply,
        submit="Reply",
        submit_class="reply-send",
        cancel_class="reply-cancel",
        reset_on_submit=True,
    )


def _comment_menu(c: RoomComment, actions) -> rx.Component:
    """⋯ on a comment the viewer may edit or delete."""
    return rx.dropdown_menu.root(
        rx.dropdown_menu.trigger(
            rx.icon_button(
                rx.icon("ellipsis", size=14),
                size="1",
                variant="ghost",
                color_scheme="gray",
                aria_label="Comment actions",
                on_click=rx.stop_propagation,
                class_name="comment-menu",
            )
        ),
        rx.dropdown_menu.content(
            rx.cond(
                c.can_edit,
                rx.dropdown_menu.item(
                    rx.icon("pencil", size=12),
                    "Edit",
                    on_select=actions.start_edit(c.id),
                    class_name="comment-edit",
                ),
            ),
            rx.cond(
                c.can_delete,
                rx.dropdown_menu.item(
                    rx.icon("trash-2", size=12),
                    "Delete",
                    color_scheme="red",
                    on_select=actions.ask_delete(c.id),
                    class_name="comment-delete",
                ),
            ),
            size="1",
        ),
    )


def _edit_box(c: RoomComment, actions) -> rx.Component:
    """The comment's text, open for editing (like the reply box)."""
    return _text_form(
        rx.text_area(
            name="body",
            default_value=c.body,
            rows="3",
            width="100%",
            auto_focus=True,
            class_name="comment-edit-body",
        ),
        on_submit=actions.save_edit,
        on_cancel=actions.cancel_edit,
        submit="Save",
        submit_class="comment-edit-save",
        cancel_class="comment-edit-cancel",
        reset_on_submit=False,  # a refused edit keeps what was typed
    )


def _delete_question(actions) -> rx.Component:
    return rx.hstack(
        rx.text("Delete this comment?", size="1", color=rx.color("gray", 11)),
        rx.spacer(),
        rx.button(
            "Cancel",
            size="1",
            variant="ghost",
            color_scheme="gray",
            on_click=actions.cancel_delete,
            class_name="comment-delete-cancel",
        ),
        rx.button(
            "Delete",
            size="1",
            color_scheme="red",
            on_click=actions.delete_comment,
            class_name="comment-delete-confirm",
        ),
        align="center",
        width="100%",
        padding_top="4px",
        on_click=rx.stop_propagation,
    )


def comment_actions(c, actions, body: rx.Component) -> tuple[rx.Component, ...]:
    """What `actions` (a state with state.comment_actions.CommentActions) adds to a comment
    `c` (id, body, can_edit, can_delete): its ⋯ menu, `body` turned into the edit box while
    it is edited, and the "Delete this comment?" question to put under it."""
    return (
        rx.cond(c.can_edit | c.can_delete, _comment_menu(c, actions)),
        rx.cond(actions.editing_id == c.id, _edit_box(c, actions), body),
        rx.cond(actions.deleting_id == c.id, _delete_question(actions)),
    )


def comment_item(
    c: RoomComment,
    current_frame,
    *,
    marks: tuple = (),
    footer: rx.Component | None = None,
    actions=None,
) -> rx.Component:
    """One comment in a list beside the player (the studio's room and the client portal):
    its frame badge, author, `marks` after the author, body and an optional footer. A click
    anywhere on it seeks to its frame (data-seek-frame, read by the player). `actions`, a
    state with state.comment_actions.CommentActions, adds ⋯ (Edit, Delete) where the viewer
    may use them."""
    here = (c.frame >= 0) & (c.frame == current_frame)
    body = rx.cond(
        c.deleted,
        rx.text(
            "Comment deleted",
            size="2",
            font_style="italic",
            color=rx.color("gray", 9),
            padding_top="2px",
            class_name="comment-deleted",
        ),
        rx.text(
            c.body, size="2", white_space="pre-wrap", padding_top="2px", class_name="comment-body"
        ),
    )
    menu = question = rx.fragment()
    if actions is not None:
        menu, body, question = comment_actions(c, actions, body)
    return rx.box(
        rx.hstack(
            rx.cond(
                c.frame >= 0,
                rx.badge(
                    c.frame_label,
                    variant=rx.cond(here, "solid", "soft"),
                    size="1",
                    title=c.timecode,
                    class_name="comment-frame",
                ),
                rx.badge("whole version", variant="surface", size="1", color_scheme="gray"),
            ),
            rx.text(c.author, size="2", weight="bold"),
            *marks,
            rx.cond(
                c.drawing,
                # not a pencil: that is Edit, in the ⋯ menu
                rx.tooltip(
                    rx.icon(
                        "shapes",
                        size=12,
                        color=rx.color("gray", 11),
                        class_name="comment-drawing",
                        aria_label="Has a drawing",
                    ),
                    content="Has a drawing: click to see it on the frame",
                ),
            ),
            rx.spacer(),
            rx.text(
                c.when,
                rx.cond(
                    c.edited != "",
                    rx.text.span(" · edited", title=c.edited, class_name="comment-edited"),
                ),
                size="1",
                color=rx.color("gray", 10),
                white_space="nowrap",
            ),
            menu,
            align="center",
            spacing="2",
        ),
        body,
        question,
        footer if footer is not None else rx.fragment(),
        padding="8px",
        margin_left=rx.cond(c.reply, "20px", "0"),
        border_radius="6px",
        background=rx.cond(here, rx.color("accent", 3), "transparent"),
        _hover={"background": rx.color("gray", 3)},
        cursor=rx.cond(c.frame >= 0, "pointer", "default"),
        width=rx.cond(c.reply, "calc(100% - 20px)", "100%"),  # a reply's indent stays inside
        class_name="comment-item",
        data_comment_id=c.id,
        data_seek_frame=c.frame,
    )


def _comment(c: RoomComment) -> rx.Component:
    return comment_item(
        c,
        ReviewState.current_frame,
        marks=(
            rx.cond(c.is_client, rx.badge("Client", color_scheme="violet", size="1")),
            rx.cond(c.for_client & ~c.is_client, rx.icon("eye", size=12)),
        ),
        actions=ReviewState,
        footer=rx.cond(
            ReviewState.can_comment & ~c.reply & ~c.deleted,
            rx.cond(
                ReviewState.reply_to == c.id,
                _reply_box(),
                rx.button(
                    "Reply",
                    size="1",
                    variant="ghost",
                    on_click=ReviewState.open_reply(c.id, c.is_client | c.for_client),
                    class_name="comment-reply",
                ),
            ),
        ),
    )


def comment_list() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading("Comments", size="3"),
            rx.badge(ReviewState.comments.length(), variant="soft", size="1"),
            rx.spacer(),
            rx.text(
                "frame ",
                ReviewState.current_frame_label,
                size="1",
                color=rx.color("gray", 10),
                id="current-frame-label",
            ),
            align="center",
            width="100%",
        ),
        rx.cond(
            ReviewState.comments.length() > 0,
            rx.vstack(
                rx.foreach(ReviewState.comments, _comment),
                spacing="1",
                width="100%",
                max_height="52vh",
                overflow_y="auto",
                id="comment-list",
            ),
            rx.text(
                "No comments on this version yet.",
                size="2",
                color=rx.color("gray", 9),
                id="comment-list",
            ),
        ),
        spacing="2",
        width="100%",
    )


def decision_box() -> rx.Component:
    return rx.cond(
        ReviewState.can_approve & (ReviewState.version_id > 0),
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.text(
                        "Internal review of ", ReviewState.version_label, size="2", weight="bold"
                    ),
                    rx.spacer(),
                    share_button(
                        ReviewState.version_id,
                        ReviewState.version_state,
                        ReviewState.version_shared,
                        size="2",
                    ),
                    align="start",
                    width="100%",
                    wrap="wrap",
                    id="share-area",
                ),
                rx.text_area(
                    value=ReviewState.approval_note,
                    on_change=ReviewState.set_approval_note,
                    placeholder="Note (optional)",
                    rows="2",
                    width="100%",
                    id="approval-note",
                ),
                rx.hstack(
                    rx.button(
                        rx.icon("circle-check", size=14),
                        "Approve",
                        color_scheme="green",
                        size="2",
                        on_click=ReviewState.approve,
                        id="approve",
                        style=APPROVE_STYLE,
                    ),
                    rx.button(
                        rx.icon("rotate-ccw", size=14),
                        "Request changes",
                        color_scheme="red",
                        variant="soft",
                        size="2",
                        on_click=ReviewState.request_changes,
                        id="request-changes",
                    ),
                    spacing="2",
                ),
                spacing="2",
                width="100%",
            ),
            width="100%",
        ),
    )


def _approval(a: ApprovalRow) -> rx.Component:
    return rx.hstack(
        rx.icon(
            rx.cond(a.decision == "Approved", "circle-check", "rotate-ccw"),
            size=14,
            color=rx.cond(a.decision == "Approved", rx.color("green", 10), rx.color("red", 10)),
        ),
        rx.vstack(
            rx.hstack(
                rx.text(a.who, size="2", weight="medium"),
                rx.text(a.decision, " ", a.version, size="2"),
                rx.badge(a.stage, variant="surface", size="1"),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.cond(a.note != "", rx.text("“", a.note, "”", size="1", color=rx.color("gray", 11))),
            rx.text(a.when, size="1", color=rx.color("gray", 10)),
            spacing="0",
        ),
        align="start",
        width="100%",
        class_name="approval",
    )


def approval_history() -> rx.Component:
    return rx.vstack(
        rx.heading("Approval history", size="3"),
        rx.cond(
            ReviewState.approvals.length() > 0,
            rx.vstack(rx.foreach(ReviewState.approvals, _approval), spacing="2", width="100%"),
            rx.text("No decisions yet.", size="2", color=rx.color("gray", 9)),
        ),
        spacing="2",
        width="100%",
        id="approval-history",
    )


def side_panel() -> rx.Component:
    return rx.vstack(
        decision_box(),
        comment_list(),
        approval_history(),
        width="100%",
        spacing="4",
    )


PANEL_WIDTH = 360  # px: the panel beside the player keeps this width
MAIN_MIN_WIDTH = 520  # px: narrower than this beside the panel, the panel goes underneath


def beside(main: rx.Component, panel: rx.Component, **props) -> rx.Component:
    """`main` (the player) beside a fixed-width `panel`. `main` takes whatever is left; when
    the row is narrower than both minimums (~900 px: a 1024 px window with the sidebar) the
    panel wraps under it and takes the full width. Plain flex-wrap, no media query: it
    follows the room's own width, not the window's."""
    return rx.flex(
        rx.box(main, flex=f"999 1 {MAIN_MIN_WIDTH}px", min_width="0", class_name="beside-main"),
        rx.box(panel, flex=f"1 1 {PANEL_WIDTH}px", min_width="0", class_name="beside-panel"),
        wrap="wrap",
        gap="20px",
        align="start",
        width="100%",
        **props,
    )


def review_room() -> rx.Component:
    """Player and panel; the caller shows upload_button() where its page has actions."""
    return rx.fragment(
        rx.cond(
            ReviewState.version_id > 0,
            beside(player_column(), side_panel(), id="review-room"),
            empty_state(
                "No versions yet",
                "Upload the first version with the button above, or drop a file on the page.",
                icon="film",
            ),
        ),
        delete_version_dialog(),
    )


# ---------------------------------------------------------------- the task page's table


def _version_tr(v: VersionCard) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(v.label, weight="bold")),
        rx.table.cell(v.uploader),
        rx.table.cell(v.when),
        rx.table.cell(
            rx.hstack(
                processing_badge(v.state, v.state_label),
                rx.cond(
                    (v.state == "FAILED") & ReviewState.can_retry,
                    rx.button(
                        "Retry",
                        size="1",
                        variant="ghost",
                        on_click=ReviewState.retry_processing(v.id),
                        class_name="retry-version",
                    ),
                ),
                rx.cond(
                    v.error != "",
                    rx.text(v.error, size="1", color=rx.color("red", 11), max_width="260px"),
                ),
                align="center",
                spacing="2",
            )
        ),
        rx.table.cell(
            rx.hstack(rx.icon("message-square", size=12), rx.text(v.comments), spacing="1"),
            class_name="version-comments",
        ),
        rx.table.cell(
            rx.cond(
                v.approval != "",
                rx.badge(
                    v.approval_label,
                    color_scheme=rx.cond(v.approval == "APPROVED", "green", "red"),
                    variant="soft",
                    size="1",
                ),
                rx.text("—", color=rx.color("gray", 8)),
            ),
            class_name="version-approval",
        ),
        rx.table.cell(
            rx.hstack(
                rx.cond(v.shared, rx.badge("Shared", color_scheme="violet", size="1")),
                rx.cond(ReviewState.is_staff, share_icon_button(v.id, v.state, v.shared)),
                spacing="1",
                align="center",
            )
        ),
        rx.table.cell(
            rx.hstack(
                rx.link("Review", href="/review/" + v.id.to_string(), size="2"),
                version_menu(v),
                align="center",
                spacing="2",
            ),
        ),
        on_click=ReviewState.select_version(v.id),
        cursor="pointer",
        background=rx.cond(v.id == ReviewState.version_id, rx.color("accent", 2), "transparent"),
        class_name="version-row",
        data_version_id=v.id,
    )


def version_table() -> rx.Component:
    return rx.cond(
        ReviewState.versions.length() > 0,
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[
                        rx.table.column_header_cell(h)
                        for h in ("", "Uploaded by", "When", "Processing", "Comments", "Approval")
                    ],
                    rx.table.column_header_cell(""),
                    rx.table.column_header_cell(""),
                )
            ),
            rx.table.body(rx.foreach(ReviewState.versions, _version_tr)),
            size="1",
            width="100%",
            variant="surface",
            id="version-table",
        ),
        rx.text("No versions yet.", size="2", color=rx.color("gray", 9)),
    )
