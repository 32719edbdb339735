"""The shot page and the asset page."""

import reflex as rx

from components.badges import due_chip, empty_state
from components.overview import chip
from components.shell import page_shell
from components.tables import activity_item, task_table
from components.task_dialog import task_dialog
from state.item import ItemState
from state.task_dialog import TaskDialogState


def _header() -> rx.Component:
    item = ItemState.item
    return rx.vstack(
        rx.hstack(
            rx.link("← Project", href="/projects/" + ItemState.project_id.to_string(), size="2"),
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
                    item.missing_quick,
                    lambda t: rx.button(
                        rx.icon("plus", size=12),
                        "Add ",
                        t.to(str).lower().capitalize(),
                        size="1",
                        variant="soft",
                        on_click=ItemState.quick_add(t),
                        class_name="quick-add",
                        data_type=t,
                    ),
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
            ),
        ),
        spacing="3",
        width="100%",
        padding_bottom="12px",
    )


def item_page() -> rx.Component:
    return page_shell(
        rx.cond(
            ItemState.item,
            rx.vstack(
                _header(),
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
        title=rx.cond(ItemState.item, ItemState.item.code + "  " + ItemState.item.name, ""),
    )
