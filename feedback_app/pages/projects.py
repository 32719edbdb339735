import reflex as rx

from components.badges import empty_state
from components.forms import field, form_dialog
from components.shell import page_shell
from state.projects import ProjectsState
from state.rows import ProjectRow


def _project_card(p: ProjectRow) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.badge(p.code, variant="surface"),
                    rx.cond(
                        p.archived != "",
                        rx.badge("Archived", color_scheme="amber", variant="soft"),
                    ),
                    rx.spacer(),
                    rx.text(p.fps, " fps · ", p.resolution, size="1", color=rx.color("gray", 10)),
                    width="100%",
                ),
                rx.text(p.name, weight="bold", size="4"),
                rx.progress(value=p.progress, size="1", width="100%"),
                rx.hstack(
                    rx.text(p.tasks_done, "/", p.tasks_total, " tasks done", size="1"),
                    rx.spacer(),
                    rx.cond(
                        p.next_due != "",
                        rx.text("Next due ", p.next_due, size="1", color=rx.color("gray", 10)),
                    ),
                    width="100%",
                ),
                rx.text(
                    p.shot_count,
                    " shots · ",
                    p.asset_count,
                    " assets",
                    size="1",
                    color=rx.color("gray", 10),
                ),
                spacing="2",
            ),
            _hover={"border_color": rx.color("accent", 8)},
        ),
        href="/projects/" + p.id.to_string(),
        underline="none",
        color="inherit",
        class_name="project-card",
    )


def _create_dialog() -> rx.Component:
    return form_dialog(
        title="New project",
        open_var=ProjectsState.create_open,
        on_open_change=ProjectsState.set_create_open,
        on_submit=ProjectsState.create,
        error=ProjectsState.create_error,
        submit_label="Create project",
        dialog_id="create-project",
        body=[
            rx.hstack(
                field("Code", rx.input(name="code", placeholder="NIGHTFALL", auto_focus=True)),
                field("Name", rx.input(name="name", placeholder="Nightfall")),
                width="100%",
            ),
            rx.hstack(
                field("Frame rate", rx.input(name="fps", default_value="24")),
                field("Start frame", rx.input(name="start_frame", default_value="1001")),
                field("Resolution", rx.input(name="resolution", default_value="1920x1080")),
                width="100%",
            ),
            field("Description", rx.text_area(name="description", rows="2")),
        ],
    )


def _archived_section() -> rx.Component:
    """Archived shows, under the running ones while "Show archived" is on."""
    return rx.cond(
        ProjectsState.show_archived,
        rx.vstack(
            rx.heading("Archived", size="3"),
            rx.cond(
                ProjectsState.archived_projects.length() > 0,
                rx.grid(
                    rx.foreach(ProjectsState.archived_projects, _project_card),
                    columns=rx.breakpoints(initial="1", sm="2", lg="3"),
                    spacing="4",
                    width="100%",
                ),
                rx.text("No archived projects.", size="2", color=rx.color("gray", 10)),
            ),
            width="100%",
            spacing="3",
            padding_top="24px",
            id="archived-projects",
        ),
    )


def projects_page() -> rx.Component:
    return page_shell(
        rx.cond(
            ProjectsState.projects.length() > 0,
            rx.grid(
                rx.foreach(ProjectsState.projects, _project_card),
                columns=rx.breakpoints(initial="1", sm="2", lg="3"),
                spacing="4",
                width="100%",
            ),
            rx.cond(
                ProjectsState.archived_projects.length() > 0,
                empty_state(
                    "No running projects",
                    "Archived ones are under Show archived; start a new show with New project.",
                    "archive",
                ),
                empty_state(
                    "No projects yet",
                    "Create the first show with New project.",
                    "folder-plus",
                ),
            ),
        ),
        _archived_section(),
        _create_dialog(),
        title="Projects",
        actions=rx.hstack(
            rx.el.label(
                rx.hstack(
                    rx.switch(
                        checked=ProjectsState.show_archived,
                        on_change=ProjectsState.set_show_archived,
                        id="show-archived",
                    ),
                    rx.text(
                        "Show archived (", ProjectsState.archived_projects.length(), ")", size="2"
                    ),
                    spacing="2",
                    align="center",
                ),
            ),
            rx.cond(
                ProjectsState.can_manage_projects,
                rx.button(
                    rx.icon("plus", size=14),
                    "New project",
                    on_click=ProjectsState.set_create_open(True),
                    id="new-project",
                ),
            ),
            spacing="4",
            align="center",
        ),
    )
