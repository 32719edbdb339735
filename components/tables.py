"""Compact table rows for tasks and the activity feed."""

import reflex as rx

from components.badges import avatar, due_chip, status_badge
from state.rows import ActivityRow, TaskRow


def header(*labels: str) -> rx.Component:
    return rx.table.header(rx.table.row(*[rx.table.column_header_cell(label) for label in labels]))


def artist_cell(t: TaskRow) -> rx.Component:
    return rx.cond(
        t.artist != "",
        rx.hstack(avatar(t.artist_initials), rx.text(t.artist, size="2"), align="center"),
        rx.text("Unassigned", size="2", color=rx.color("gray", 9)),
    )


def task_tr(t: TaskRow, show_project: bool = False) -> rx.Component:
    cells = [
        rx.table.cell(
            rx.link(t.title, href="/tasks/" + t.id.to_string(), weight="medium"),
        ),
        rx.table.cell(rx.text(t.parent_code, weight="bold", size="2")),
        rx.table.cell(rx.text(t.type_label, size="2")),
        rx.table.cell(status_badge(t.status)),
        rx.table.cell(artist_cell(t)),
        rx.table.cell(due_chip(t.due, t.due_tone)),
        rx.table.cell(rx.text(t.latest_version, size="2")),
    ]
    if show_project:
        cells.insert(1, rx.table.cell(rx.badge(t.project_code, variant="surface")))
    return rx.table.row(*cells, class_name="task-row", data_task=t.id)


TASK_HEADERS = ("Task", "Shot / Asset", "Type", "Status", "Artist", "Due", "Latest")


def task_table(rows, show_project: bool = False) -> rx.Component:
    headers = list(TASK_HEADERS)
    if show_project:
        headers.insert(1, "Project")
    return rx.table.root(
        header(*headers),
        rx.table.body(rx.foreach(rows, lambda t: task_tr(t, show_project))),
        size="1",
        width="100%",
        variant="surface",
    )


def activity_item(a: ActivityRow) -> rx.Component:
    return rx.hstack(
        rx.icon("dot", size=16, color=rx.color("accent", 9)),
        rx.text(a.text, size="2"),
        rx.spacer(),
        rx.text(a.when, size="1", color=rx.color("gray", 10)),
        width="100%",
        align="center",
        padding_y="4px",
        border_bottom=f"1px solid {rx.color('gray', 3)}",
        class_name="activity-item",
    )
