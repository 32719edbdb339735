"""The shot page and the asset page."""

import reflex as rx

from components.badges import due_chip, empty_state
from components.forms import field, form_dialog
from components.overview import all_quick_added, chip, quick_add_button
from components.review import processing_badge, thumbnail
from components.share import share_icon_button
from components.shell import page_shell
from components.tables import activity_item, task_table
from components.task_dialog import task_dialog
from state.item import ItemState, LatestVersion
from state.task_dialog import TaskDialogState


def _header() -> rx.Component:
    item = ItemState.item
    return rx.vstack(
        rx.hstack(
            rx.link("← Project", href="/projects/" + ItemState.project_id.to_string(), size="2"),
            rx.link(
                rx.hstack(rx.icon("kanban", size=14), "Board", spacing="1", align="center"),
                href=ItemState.board_url,
                size="2",
                id="item-board-link",
            ),
            rx.cond(item.frames != "", rx.badge(item.frames, variant="surface")),
            rx.text("Lead: ", rx.cond(item.lead != "", item.lead, "—"), size="2"),
            rx.text("Due: ", size="2"),
            due_chip(item.due, item.due_tone),
            align="center",
            spacing="3",
        ),
        rx.cond(ItemState.description != "", rx.text(ItemState.description, size="2")),
        rx.hstack(rx.foreach(item.chips, chip), wrap="wrap"),
        rx.cond(
            ItemState.is_staff,
            rx.hstack(
                rx.foreach(
                    item.missing_quick, lambda t: quick_add_button(t, ItemState.quick_add(t))
                ),
                all_quick_added(item),
                rx.button(
                    rx.icon("pencil", size=12),
                    "Edit",
                    size="1",
                    variant="soft",
                    color_scheme="gray",
                    on_click=ItemState.set_edit_open(True),
                    id="edit-item",
                ),
                rx.button(
                    rx.icon("plus", size=12),
                    "New task",
                    size="1",
                    on_click=TaskDialogState.open_for_parent(
                        ItemState.kind + ":" + ItemState.item_id.to_string(),
                        item.code,
                        ItemState.project_id,
                    ),
                    id="new-task",
                ),
                spacing="2",
                align="center",
            ),
        ),
        spacing="3",
        width="100%",
        padding_bottom="12px",
    )


def _latest(v: LatestVersion) -> rx.Component:
    return rx.link(
        rx.box(
            thumbnail(v.thumb, "192px", "108px"),
            rx.hstack(
                rx.text(v.type_label, size="2", weight="bold"),
                rx.text(v.label, size="2"),
                rx.spacer(),
                rx.cond(v.state != "READY", processing_badge(v.state, v.state_label)),
                align="center",
                padding="4px 6px 0 6px",
            ),
            rx.hstack(
                rx.text(
                    rx.cond(v.approval_label != "", v.approval_label, "No decision yet"),
                    size="1",
                    color=rx.color("gray", 10),
                ),
                rx.spacer(),
                rx.cond(ItemState.is_staff, share_icon_button(v.version_id, v.state, v.shared)),
                align="center",
                padding="0 6px 6px 6px",
            ),
            border=f"1px solid {rx.color('gray', 5)}",
            border_radius="8px",
            overflow="hidden",
            width="194px",
        ),
        href="/review/" + v.version_id.to_string(),
        underline="none",
        color=rx.color("gray", 12),
        class_name="latest-version",
        data_version_id=v.version_id,
    )


def _edit_dialog() -> rx.Component:
    is_shot = ItemState.kind == "shot"
    return form_dialog(
        title=rx.cond(is_shot, "Edit shot", "Edit asset"),
        open_var=ItemState.edit_open,
        on_open_change=ItemState.set_edit_open,
        on_submit=ItemState.save_item,
        error=ItemState.edit_error,
        submit_label="Save",
        dialog_id="edit-item-dialog",
        body=[
            field("Name", rx.input(name="name", default_value=ItemState.e_name, auto_focus=True)),
            rx.cond(
                is_shot,
                rx.hstack(
                    field(
                        "Frame in",
                        rx.input(
                            name="frame_in", type="number", default_value=ItemState.e_frame_in
                        ),
                    ),
                    field(
                        "Frame out",
                        rx.input(
                            name="frame_out", type="number", default_value=ItemState.e_frame_out
                        ),
                    ),
                    width="100%",
                ),
            ),
            rx.hstack(
                field(
                    "Due date",
                    rx.input(name="due_date", type="date", default_value=ItemState.e_due),
                ),
                field(
                    "Status",
                    rx.select(
                        ["ACTIVE", "ON_HOLD", "FINAL", "OMITTED"],
                        name="status",
                        default_value=ItemState.e_status,
                    ),
                ),
                width="100%",
            ),
            field(
                "Description",
                rx.text_area(name="description", default_value=ItemState.description, rows="3"),
            ),
        ],
    )


def item_page() -> rx.Component:
    return page_shell(
        rx.cond(
            ItemState.item,
            rx.vstack(
                _header(),
                rx.cond(
                    ItemState.latest.length() > 0,
                    rx.vstack(
                        rx.heading("Latest versions", size="3"),
                        rx.hstack(rx.foreach(ItemState.latest, _latest), wrap="wrap", spacing="3"),
                        spacing="2",
                        width="100%",
                    ),
                ),
                rx.heading("Tasks", size="3"),
                rx.cond(
                    ItemState.tasks.length() > 0,
                    task_table(ItemState.tasks),
                    empty_state("No tasks yet", "Use the quick-add buttons or New task above."),
                ),
                rx.heading("Activity", size="3", padding_top="12px"),
                rx.cond(
                    ItemState.activity.length() > 0,
                    rx.vstack(
                        rx.foreach(ItemState.activity, activity_item), spacing="0", width="100%"
                    ),
                    rx.text("Nothing yet.", size="2", color=rx.color("gray", 9)),
                ),
                width="100%",
                spacing="3",
            ),
            rx.spinner(),
        ),
        task_dialog(on_created=ItemState.reload),
        _edit_dialog(),
        title=rx.cond(ItemState.item, ItemState.item.code + "  " + ItemState.item.name, ""),
    )
