import reflex as rx

from components import overview, task_table
from components.badges import STATUS_LABELS, avatar, due_chip, empty_state
from components.shell import page_shell
from components.tables import activity_item
from components.task_dialog import task_dialog
from state.project import COLUMNS, ProjectState
from state.rows import TaskRow
from state.task_dialog import TaskDialogState


def _shots_tab() -> rx.Component:
    return overview.shots_table()


def _assets_tab() -> rx.Component:
    return overview.assets_table()


def _tasks_tab() -> rx.Component:
    return task_table.tasks_tab(
        rx.cond(
            ProjectState.is_staff,
            rx.button(
                rx.icon("plus", size=14),
                "New task",
                size="1",
                on_click=TaskDialogState.open_for_project(ProjectState.project_id),
                id="new-task",
            ),
        )
    )


def _card(t: TaskRow) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.text(t.parent_code, size="1", weight="bold"),
                    rx.text(t.type_label, size="1", color=rx.color("gray", 10)),
                    rx.spacer(),
                    rx.text(t.latest_version, size="1", color=rx.color("gray", 10)),
                    width="100%",
                ),
                rx.text(t.title, size="2", weight="medium"),
                rx.hstack(
                    rx.cond(t.artist != "", avatar(t.artist_initials)),
                    rx.spacer(),
                    due_chip(t.due, t.due_tone),
                    width="100%",
                    align="center",
                ),
                spacing="1",
            ),
            size="1",
            width="100%",
        ),
        href="/tasks/" + t.id.to_string(),
        width="100%",
        underline="none",
        color="inherit",
        class_name="board-card",
    )


def _card_if(status: str):
    def render(t: TaskRow) -> rx.Component:
        return rx.cond(t.status == status, _card(t))

    return render


def _kanban_tab() -> rx.Component:
    """The tasks by status. Dragging cards comes with the kanban issue; this shows the data."""
    return rx.grid(
        *[
            rx.vstack(
                rx.text(STATUS_LABELS[c], size="2", weight="bold", color=rx.color("gray", 11)),
                rx.foreach(ProjectState.tasks, _card_if(c)),
                spacing="2",
                padding="8px",
                background=rx.color("gray", 2),
                border_radius="8px",
                min_height="200px",
                class_name="board-column",
            )
            for c in COLUMNS
        ],
        columns="6",
        spacing="2",
        width="100%",
    )


def _activity_tab() -> rx.Component:
    return rx.cond(
        ProjectState.activity.length() > 0,
        rx.vstack(rx.foreach(ProjectState.activity, activity_item), spacing="0", width="100%"),
        empty_state("No activity yet", "Uploads, reviews and status changes appear here."),
    )


def project_page() -> rx.Component:
    return page_shell(
        rx.hstack(
            rx.badge(ProjectState.code, variant="surface"),
            rx.text(
                ProjectState.fps,
                " fps · ",
                ProjectState.resolution,
                " · starts at ",
                ProjectState.start_frame,
                size="1",
                color=rx.color("gray", 10),
            ),
            align="center",
            padding_bottom="12px",
        ),
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger("Shots", value="shots", id="tab-shots"),
                rx.tabs.trigger("Assets", value="assets", id="tab-assets"),
                rx.tabs.trigger("Tasks", value="tasks", id="tab-tasks"),
                rx.tabs.trigger("Kanban", value="kanban", id="tab-kanban"),
                rx.tabs.trigger("Activity", value="activity", id="tab-activity"),
            ),
            rx.box(
                rx.tabs.content(_shots_tab(), value="shots"),
                rx.tabs.content(_assets_tab(), value="assets"),
                rx.tabs.content(_tasks_tab(), value="tasks"),
                rx.tabs.content(_kanban_tab(), value="kanban"),
                rx.tabs.content(_activity_tab(), value="activity"),
                padding_top="16px",
            ),
            value=ProjectState.tab,
            on_change=ProjectState.set_tab,
        ),
        overview.item_dialog(),
        overview.import_dialog(),
        task_dialog(on_created=ProjectState.reload),
        title=ProjectState.name,
    )
