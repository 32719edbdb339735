import reflex as rx

from components import overview, task_table
from components.badges import empty_state
from components.forms import confirm_dialog
from components.live import live_follow
from components.shell import page_shell
from components.tables import activity_item
from components.task_dialog import task_dialog
from feedback_app.pages.board import board_section
from state.activity import ProjectActivityState
from state.project import ProjectState
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


def _kanban_tab() -> rx.Component:
    """The live dnd-kit board of the project's tasks (feedback_app/pages/board.py)."""
    return board_section()


def _activity_tab() -> rx.Component:
    """Live while shown: live_follow attaches the feed when the tab opens, leaves when it
    closes (state.activity.ProjectActivityState)."""
    return rx.box(
        live_follow(ProjectActivityState),
        rx.cond(
            ProjectActivityState.rows.length() > 0,
            rx.vstack(
                rx.foreach(ProjectActivityState.rows, activity_item),
                spacing="0",
                width="100%",
            ),
            empty_state("No activity yet", "Uploads, reviews and status changes appear here."),
        ),
        width="100%",
        id="project-activity",
    )


def _archived_badge() -> rx.Component:
    return rx.cond(
        ProjectState.archived != "",
        rx.tooltip(
            rx.badge(
                rx.icon("archive", size=12),
                "Archived",
                color_scheme="amber",
                variant="soft",
                id="project-archived-badge",
            ),
            content="Archived "
            + ProjectState.archived
            + ": hidden from lists and dashboards, still editable",
        ),
    )


def _archive_button() -> rx.Component:
    """Archive / Unarchive for those who may (admin, producer; the service checks again)."""
    return rx.cond(
        ProjectState.can_manage_projects,
        rx.cond(
            ProjectState.archived != "",
            rx.button(
                rx.icon("archive-restore", size=14),
                "Unarchive",
                variant="soft",
                size="2",
                on_click=ProjectState.unarchive,
                id="project-unarchive",
            ),
            rx.button(
                rx.icon("archive", size=14),
                "Archive",
                variant="soft",
                color_scheme="gray",
                size="2",
                on_click=ProjectState.set_confirm_archive(True),
                id="project-archive",
            ),
        ),
    )


def _archive_dialog() -> rx.Component:
    """Says what archiving does before it does it."""
    return confirm_dialog(
        "Archive " + ProjectState.code + "?",
        "The project is hidden from the projects list, dashboards, My Tasks, the artist "
        "board and notifications. Nothing is deleted: it still opens from its link and "
        "from Show archived on the projects page, stays editable, and clients keep "
        "their review links. You can unarchive it at any time.",
        "Archive project",
        ProjectState.archive,
        open=ProjectState.confirm_archive,
        on_open_change=ProjectState.set_confirm_archive,
        id_prefix="project-archive",
        max_width="480px",
        danger=False,
    )


def project_page() -> rx.Component:
    return page_shell(
        rx.hstack(
            rx.badge(ProjectState.code, variant="surface"),
            _archived_badge(),
            rx.text(
                ProjectState.fps,
                " fps · ",
                ProjectState.resolution,
                " · starts at ",
                ProjectState.start_frame,
                size="1",
                color=rx.color("gray", 10),
            ),
            rx.spacer(),
            _archive_button(),
            rx.cond(
                ProjectState.is_staff,
                rx.link(
                    rx.button(
                        rx.icon("send", size=14),
                        "Client reviews",
                        variant="soft",
                        size="2",
                    ),
                    href="/projects/" + ProjectState.project_id.to_string() + "/reviews",
                    id="client-reviews-link",
                ),
            ),
            align="center",
            width="100%",
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
        overview.template_dialog(),
        task_dialog(on_created=ProjectState.reload),
        _archive_dialog(),
        title=ProjectState.name,
    )
