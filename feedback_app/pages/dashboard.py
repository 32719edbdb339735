import reflex as rx

from components.badges import STATUS_COLORS, due_chip, status_badge
from components.deliveries import failed_deliveries
from components.live import live_follow
from components.shell import page_shell
from state.dashboard import BarRow, DashboardState, FeedbackRow, Segment, UploadRow
from state.rows import TaskRow


def _project_code(code) -> rx.Component:
    """The project's code before a shot code, when the dashboard spans projects (SH010 is in
    more than one show)."""
    return rx.cond(
        DashboardState.spans_projects,
        rx.text(code, size="1", color=rx.color("gray", 10), class_name="project-code"),
    )


def _task_line(t: TaskRow) -> rx.Component:
    return rx.link(
        rx.hstack(
            _project_code(t.project_code),
            rx.text(t.parent_code, weight="bold", size="2"),
            rx.text(t.type_label, size="2", color=rx.color("gray", 11)),
            rx.spacer(),
            status_badge(t.status),
            due_chip(t.due, t.due_tone),
            align="center",
            width="100%",
        ),
        href="/tasks/" + t.id.to_string(),
        underline="none",
        color="inherit",
        class_name="widget-task",
        width="100%",
    )


def _widget(
    title: str,
    widget_id: str,
    rows,
    render,
    empty: str,
    tone: str = "gray",
    total=None,
    more_href=None,
):
    """A list widget. `total` counts every row when the list is cut; `more_href` is the /tasks
    view that shows them all ("View all N" then appears under the list)."""
    total = rows.length() if total is None else total
    more = (
        rx.cond(
            total > rows.length(),
            rx.link(
                "View all ",
                total,
                href=more_href,
                size="1",
                class_name="widget-more",
            ),
        )
        if more_href is not None
        else rx.fragment()
    )
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(title, size="2", weight="bold"),
                rx.spacer(),
                rx.text(
                    total,
                    size="5",
                    weight="bold",
                    color=rx.color(tone, 11),
                    class_name="widget-count",
                ),
                width="100%",
                align="center",
            ),
            rx.cond(
                rows.length() > 0,
                rx.scroll_area(
                    rx.vstack(rx.foreach(rows, render), spacing="2", width="100%"),
                    max_height="220px",
                ),
                rx.text(empty, size="1", color=rx.color("gray", 9)),
            ),
            more,
            spacing="2",
            width="100%",
        ),
        id=widget_id,
        width="100%",
    )


def _upload(u: UploadRow) -> rx.Component:
    return rx.link(
        rx.vstack(
            rx.cond(
                u.thumb != "",
                rx.image(
                    src=u.thumb,
                    width="100%",
                    height="84px",
                    object_fit="cover",
                    border_radius="6px",
                ),
                rx.center(
                    rx.icon("film", size=20, color=rx.color("gray", 8)),
                    height="84px",
                    width="100%",
                    background=rx.color("gray", 3),
                    border_radius="6px",
                ),
            ),
            rx.hstack(
                _project_code(u.project),
                rx.text(u.title, size="1", weight="bold"),
                spacing="1",
                align="center",
            ),
            rx.text(u.uploader, " · ", u.when, size="1", color=rx.color("gray", 10)),
            spacing="1",
            width="150px",
        ),
        href="/tasks/" + u.task_id.to_string(),
        underline="none",
        color="inherit",
        class_name="upload-card",
    )


def _feedback(f: FeedbackRow) -> rx.Component:
    return rx.link(
        rx.vstack(
            rx.hstack(
                rx.text(f.who, size="2", weight="bold"),
                rx.cond(f.is_client, rx.badge("Client", color_scheme="violet", size="1")),
                _project_code(f.project),
                rx.text(f.target, size="1", color=rx.color("gray", 10)),
                rx.spacer(),
                rx.text(f.when, size="1", color=rx.color("gray", 10)),
                align="center",
                width="100%",
            ),
            rx.text(f.text, size="1", color=rx.color("gray", 11)),
            spacing="0",
            width="100%",
        ),
        href="/tasks/" + f.task_id.to_string(),
        underline="none",
        color="inherit",
        width="100%",
        class_name="feedback-item",
    )


def _segment(s: Segment) -> rx.Component:
    color = rx.match(s.status, *[(k, rx.color(v, 9)) for k, v in STATUS_COLORS.items()], "gray")
    return rx.tooltip(
        rx.box(height="12px", width=s.width, background=color, class_name="workload-segment"),
        content=s.tip,
    )


def _bar(b: BarRow) -> rx.Component:
    return rx.hstack(
        rx.text(b.name, size="1", width="110px", min_width="110px", truncate=True),
        rx.hstack(
            rx.foreach(b.segments, _segment),
            spacing="0",
            flex="1",
            border_radius="3px",
            overflow="hidden",
        ),
        rx.text(b.total, size="1", width="24px", text_align="right"),
        rx.cond(
            b.overdue > 0,
            rx.badge(b.overdue, " late", color_scheme="red", size="1"),
            rx.box(width="42px"),
        ),
        align="center",
        width="100%",
        class_name="workload-bar",
    )


def dashboard_page() -> rx.Component:
    return page_shell(
        live_follow(DashboardState),  # widgets update when tasks, versions or reviews change
        rx.grid(
            _widget(
                "Tasks due today",
                "w-due-today",
                DashboardState.due_today,
                _task_line,
                "Nothing due today.",
                "amber",
                total=DashboardState.due_today_total,
            ),
            _widget(
                "Tasks in review",
                "w-in-review",
                DashboardState.in_review,
                _task_line,
                "Nothing waiting for review.",
                "violet",
                total=DashboardState.in_review_total,
                more_href=DashboardState.in_review_href,
            ),
            _widget(
                "Overdue tasks",
                "w-overdue",
                DashboardState.overdue,
                _task_line,
                "Nothing overdue.",
                "red",
                total=DashboardState.overdue_total,
                more_href=DashboardState.overdue_href,
            ),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="3",
            width="100%",
        ),
        rx.card(
            rx.vstack(
                rx.text("Latest uploads", size="2", weight="bold"),
                rx.cond(
                    DashboardState.uploads.length() > 0,
                    rx.hstack(
                        rx.foreach(DashboardState.uploads, _upload),
                        spacing="3",
                        overflow_x="auto",
                        width="100%",
                    ),
                    rx.text("No uploads yet.", size="1", color=rx.color("gray", 9)),
                ),
                width="100%",
            ),
            id="w-uploads",
            width="100%",
            margin_top="12px",
        ),
        rx.grid(
            rx.card(
                rx.vstack(
                    rx.text("Recent feedback", size="2", weight="bold"),
                    rx.cond(
                        DashboardState.feedback.length() > 0,
                        rx.vstack(
                            rx.foreach(DashboardState.feedback, _feedback),
                            spacing="2",
                            width="100%",
                        ),
                        rx.text(
                            "No comments or decisions yet.", size="1", color=rx.color("gray", 9)
                        ),
                    ),
                    width="100%",
                ),
                id="w-feedback",
            ),
            rx.card(
                rx.vstack(
                    rx.text("Artist workload (open tasks)", size="2", weight="bold"),
                    rx.cond(
                        DashboardState.workload.length() > 0,
                        rx.vstack(
                            rx.foreach(DashboardState.workload, _bar), spacing="2", width="100%"
                        ),
                        rx.text("No assigned open tasks.", size="1", color=rx.color("gray", 9)),
                    ),
                    width="100%",
                ),
                id="w-workload",
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="3",
            width="100%",
            margin_top="12px",
        ),
        failed_deliveries(),  # ADMIN/PRODUCER, only when some delivery failed
        title="Dashboard",
        actions=rx.cond(
            DashboardState.is_staff,
            rx.select.root(
                rx.select.trigger(id="dashboard-scope"),
                rx.select.content(
                    rx.foreach(
                        DashboardState.project_options,
                        lambda o: rx.select.item(o.label, value=o.value),
                    )
                ),
                value=DashboardState.scope,
                on_change=DashboardState.set_scope,
                size="1",
            ),
        ),
    )
