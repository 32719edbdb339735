"""The New Task dialog (title, type, artist, supervisor, due, priority, estimate, description)."""

import reflex as rx

from components.forms import field, form_dialog
from state.formatting import type_label
from state.task_dialog import NOBODY, PRIORITIES, TASK_TYPES, Option, TaskDialogState


def _select(name: str, options, default: str, select_id: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(width="100%", id=select_id),
        rx.select.content(
            rx.foreach(options, lambda o: rx.select.item(o.label, value=o.value)),
        ),
        name=name,
        default_value=default,
    )


def task_dialog(on_created=None) -> rx.Component:
    """`on_created`: an event to run after a submit (e.g. the page's reload)."""
    submit = [TaskDialogState.create] + ([on_created] if on_created is not None else [])
    return form_dialog(
        title="New task",
        open_var=TaskDialogState.open,
        on_open_change=TaskDialogState.set_open,
        on_submit=submit,
        error=TaskDialogState.error,
        submit_label="Create task",
        dialog_id="task-dialog",
        body=[
            rx.cond(
                TaskDialogState.parent_fixed,
                rx.text("On ", rx.text.strong(TaskDialogState.parent_label), size="2"),
                field(
                    "Shot or asset",
                    rx.select.root(
                        rx.select.trigger(
                            placeholder="Pick a shot or asset", width="100%", id="task-parent"
                        ),
                        rx.select.content(
                            rx.foreach(
                                TaskDialogState.parents,
                                lambda o: rx.select.item(o.label, value=o.value),
                            )
                        ),
                        value=TaskDialogState.parent,
                        on_change=TaskDialogState.set_parent,
                    ),
                ),
            ),
            rx.hstack(
                field(
                    "Type",
                    rx.select.root(
                        rx.select.trigger(width="100%", id="task-type"),
                        rx.select.content(
                            *[rx.select.item(type_label(t), value=t) for t in TASK_TYPES]
                        ),
                        name="type",
                        default_value="COMP",
                    ),
                ),
                field(
                    "Title",
                    rx.input(name="title", placeholder="defaults to the type", auto_focus=True),
                ),
                width="100%",
                spacing="3",
            ),
            rx.hstack(
                field("Artist", _select("artist", TaskDialogState.artists, NOBODY, "task-artist")),
                field(
                    "Supervisor",
                    _select("supervisor", TaskDialogState.supervisors, NOBODY, "task-supervisor"),
                ),
                width="100%",
            ),
            rx.hstack(
                field("Due date", rx.input(name="due_date", type="date", id="task-due")),
                field("Priority", rx.select(PRIORITIES, name="priority", default_value="NORMAL")),
                field("Estimate (h)", rx.input(name="estimated_hours", type="number", min="0")),
                width="100%",
            ),
            field("Description", rx.text_area(name="description", rows="2")),
        ],
    )


__all__ = ["Option", "task_dialog"]
