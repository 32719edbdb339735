"""The project's Tasks tab: sortable, filterable, inline edits, bulk actions on selected rows."""

import reflex as rx

from components.badges import STATUS_LABELS, due_chip, empty_state, status_badge
from components.tables import artist_cell
from state.formatting import type_label
from state.project import ANY, ProjectState
from state.rows import TaskRow
from state.task_dialog import NOBODY, TASK_TYPES

STATUS_ITEMS = list(STATUS_LABELS.items())


def _status_select(t: TaskRow) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(variant="ghost", class_name="status-select"),
        rx.select.content(*[rx.select.item(label, value=key) for key, label in STATUS_ITEMS]),
        value=t.status,
        on_change=lambda v: ProjectState.set_status(t.id, v),
        size="1",
    )


def _artist_select(t: TaskRow) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(variant="ghost", placeholder="Unassigned", class_name="artist-select"),
        rx.select.content(
            rx.select.item("Unassigned", value=NOBODY),
            rx.foreach(
                ProjectState.artist_options, lambda o: rx.select.item(o.label, value=o.value)
            ),
        ),
        value=rx.cond(t.artist_id != "", t.artist_id, NOBODY),
        on_change=lambda v: ProjectState.set_artist(t.id, v),
        size="1",
    )


def _sortable(label: str, key: str) -> rx.Component:
    return rx.table.column_header_cell(
        rx.hstack(
            rx.text(label),
            rx.cond(
                ProjectState.sort_key == key,
                rx.icon(rx.cond(ProjectState.sort_desc, "arrow-down", "arrow-up"), size=12),
            ),
            align="center",
            spacing="1",
            cursor="pointer",
            on_click=ProjectState.sort_by(key),
            class_name=f"sort-{key}",
        )
    )


def _row(t: TaskRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.cond(
                ProjectState.is_staff,
                rx.checkbox(
                    checked=ProjectState.selected_tasks.contains(t.id),
                    on_change=lambda v: ProjectState.toggle_task(t.id, v),
                    class_name="task-select",
                ),
            ),
            width="28px",
        ),
        rx.table.cell(rx.link(t.title, href="/tasks/" + t.id.to_string(), weight="medium")),
        rx.table.cell(rx.text(t.parent_code, weight="bold", size="2")),
        rx.table.cell(rx.text(t.type_label, size="2")),
        rx.table.cell(rx.cond(ProjectState.is_staff, _status_select(t), status_badge(t.status))),
        rx.table.cell(rx.cond(ProjectState.is_staff, _artist_select(t), artist_cell(t))),
        rx.table.cell(
            rx.cond(
                ProjectState.is_staff,
                rx.input(
                    type="date",
                    default_value=t.due_iso,
                    key=t.id.to_string() + t.due_iso,
                    on_blur=lambda v: ProjectState.set_due(t.id, v),
                    size="1",
                    variant="soft",
                    color=rx.match(
                        t.due_tone,
                        ("overdue", rx.color("red", 11)),
                        ("soon", rx.color("amber", 11)),
                        rx.color("gray", 12),
                    ),
                    class_name="due-input",
                    width="130px",
                ),
                due_chip(t.due, t.due_tone),
            )
        ),
        rx.table.cell(rx.text(t.latest_version, size="2")),
        class_name="task-row",
        data_status=t.status,
        data_task=t.id,
        align="center",
    )


def _filter(name: str, placeholder: str, items, filter_id: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(placeholder=placeholder, id=filter_id),
        rx.select.content(rx.select.item(placeholder, value=ANY), *items),
        value=getattr(ProjectState, name),
        on_change=lambda v: ProjectState.set_filter(name, v),
        size="1",
    )


def _bulk_bar() -> rx.Component:
    return rx.cond(
        ProjectState.selected_tasks.length() > 0,
        rx.hstack(
            rx.text(
                ProjectState.selected_tasks.length(), " selected", size="2", id="selected-count"
            ),
            rx.menu.root(
                rx.menu.trigger(
                    rx.button(
                        "Set status", rx.icon("chevron-down", size=12), size="1", id="bulk-status"
                    )
                ),
                rx.menu.content(
                    *[
                        rx.menu.item(
                            label, on_click=ProjectState.bulk_status(key), class_name=f"bulk-{key}"
                        )
                        for key, label in STATUS_ITEMS
                    ]
                ),
            ),
            rx.menu.root(
                rx.menu.trigger(
                    rx.button(
                        "Assign", rx.icon("chevron-down", size=12), size="1", id="bulk-assign"
                    )
                ),
                rx.menu.content(
                    rx.menu.item("Unassigned", on_click=ProjectState.bulk_artist(NOBODY)),
                    rx.foreach(
                        ProjectState.artist_options,
                        lambda o: rx.menu.item(o.label, on_click=ProjectState.bulk_artist(o.value)),
                    ),
                ),
            ),
            rx.button(
                "Clear",
                size="1",
                variant="ghost",
                color_scheme="gray",
                on_click=ProjectState.select_all_tasks(False),
            ),
            align="center",
            padding="6px 10px",
            background=rx.color("accent", 3),
            border_radius="8px",
            id="bulk-bar",
        ),
    )


def tasks_tab(new_task_button: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.input(
                placeholder="Search tasks  ( / )",
                value=ProjectState.f_text,
                on_change=lambda v: ProjectState.set_filter("f_text", v),
                size="1",
                width="220px",
                id="search",
            ),
            _filter(
                "f_status",
                "All statuses",
                [rx.select.item(label, value=key) for key, label in STATUS_ITEMS],
                "filter-status",
            ),
            _filter(
                "f_type",
                "All types",
                [rx.select.item(type_label(t), value=t) for t in TASK_TYPES],
                "filter-type",
            ),
            rx.select.root(
                rx.select.trigger(placeholder="All artists", id="filter-artist"),
                rx.select.content(
                    rx.select.item("All artists", value=ANY),
                    rx.foreach(ProjectState.artist_names, lambda n: rx.select.item(n, value=n)),
                ),
                value=ProjectState.f_artist,
                on_change=lambda v: ProjectState.set_filter("f_artist", v),
                size="1",
            ),
            _filter(
                "f_due",
                "Any due date",
                [
                    rx.select.item("Overdue", value="overdue"),
                    rx.select.item("Due this week", value="week"),
                ],
                "filter-due",
            ),
            rx.spacer(),
            new_task_button,
            width="100%",
            align="center",
            wrap="wrap",
        ),
        _bulk_bar(),
        rx.cond(
            ProjectState.visible_tasks.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(
                            rx.cond(
                                ProjectState.is_staff,
                                rx.checkbox(
                                    on_change=ProjectState.select_all_tasks, id="select-all-tasks"
                                ),
                            )
                        ),
                        _sortable("Task", "title"),
                        _sortable("Shot / Asset", "parent_code"),
                        _sortable("Type", "type"),
                        _sortable("Status", "status"),
                        _sortable("Artist", "artist"),
                        _sortable("Due", "due_iso"),
                        rx.table.column_header_cell("Latest"),
                    )
                ),
                rx.table.body(rx.foreach(ProjectState.visible_tasks, _row)),
                size="1",
                width="100%",
                variant="surface",
            ),
            rx.cond(
                ProjectState.tasks.length() > 0,
                empty_state("No task matches", "Clear a filter to see more.", "filter"),
                empty_state("No tasks yet", "Create one with New task, or quick-add on a shot."),
            ),
        ),
        width="100%",
        spacing="3",
    )
