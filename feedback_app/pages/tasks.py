import reflex as rx

from components.badges import due_chip, empty_state, status_badge
from components.shell import page_shell
from components.tables import activity_item, artist_cell, task_table
from state.rows import VersionRow
from state.tasks import MyTasksState, TaskState


def my_tasks_page() -> rx.Component:
    return page_shell(
        rx.text(
            "Tasks assigned to you, supervised by you or that you watch, soonest due first.",
            size="2",
            color=rx.color("gray", 10),
            padding_bottom="12px",
        ),
        rx.cond(
            MyTasksState.tasks.length() > 0,
            task_table(MyTasksState.tasks, show_project=True),
            empty_state("Nothing on your plate", "Tasks assigned to you will show up here."),
        ),
        title="My Tasks",
    )


def _meta(label: str, value: rx.Component) -> rx.Component:
    return rx.hstack(
        rx.text(label, size="1", color=rx.color("gray", 10), width="110px"),
        value,
        align="center",
        width="100%",
    )


def _version_tr(v: VersionRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(v.label, weight="bold")),
        rx.table.cell(v.uploader),
        rx.table.cell(v.when),
        rx.table.cell(rx.badge(v.state, variant="soft", size="1")),
        rx.table.cell(v.description),
        rx.table.cell(rx.cond(v.shared, rx.badge("Shared", color_scheme="violet", size="1"))),
        class_name="version-row",
    )


def _details() -> rx.Component:
    t = TaskState.task
    return rx.hstack(
        rx.vstack(
            rx.hstack(
                rx.link(t.project_code, href="/projects/" + t.project_id.to_string()),
                rx.text("/", color=rx.color("gray", 8)),
                rx.text(t.parent_code, weight="bold"),
                rx.text("/", color=rx.color("gray", 8)),
                rx.text(t.type_label),
                size="2",
                align="center",
                id="breadcrumb",
            ),
            rx.cond(
                TaskState.description != "",
                rx.text(TaskState.description, size="2"),
                rx.text("No description.", size="2", color=rx.color("gray", 9)),
            ),
            rx.heading("Versions", size="3", padding_top="12px"),
            rx.cond(
                TaskState.versions.length() > 0,
                rx.table.root(
                    rx.table.body(rx.foreach(TaskState.versions, _version_tr)),
                    size="1",
                    width="100%",
                    variant="surface",
                ),
                empty_state("No versions yet", "Uploaded versions of this task appear here."),
            ),
            rx.heading("Activity", size="3", padding_top="12px"),
            rx.vstack(rx.foreach(TaskState.activity, activity_item), spacing="0", width="100%"),
            flex="1",
            spacing="2",
            min_width="0",
        ),
        rx.card(
            rx.vstack(
                _meta("Status", status_badge(t.status)),
                _meta("Type", rx.text(t.type_label, size="2")),
                _meta("Priority", rx.text(t.priority, size="2")),
                _meta("Due", due_chip(t.due, t.due_tone)),
                _meta("Estimate", rx.text(TaskState.estimated_hours, size="2")),
                _meta("Artist", artist_cell(t)),
                _meta("Supervisor", rx.text(t.supervisor, size="2")),
                _meta("Watching", rx.text(rx.cond(TaskState.watching, "Yes", "No"), size="2")),
                spacing="3",
            ),
            width="300px",
            min_width="300px",
        ),
        spacing="5",
        align="start",
        width="100%",
    )


def task_page() -> rx.Component:
    return page_shell(
        rx.cond(TaskState.task, _details(), rx.spinner()),
        title=rx.cond(TaskState.task, TaskState.task.title, "Task"),
    )
