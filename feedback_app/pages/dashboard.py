import reflex as rx

from components.badges import empty_state
from components.shell import page_shell
from components.tables import task_table
from state.dashboard import DashboardState


def _stat(label: str, value, stat_id: str, tone: str = "gray") -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(label, size="1", color=rx.color("gray", 10)),
            rx.text(value, size="6", weight="bold", color=rx.color(tone, 11), id=stat_id),
            spacing="1",
        ),
        flex="1",
    )


def dashboard_page() -> rx.Component:
    return page_shell(
        rx.text("Your work at a glance.", size="2", color=rx.color("gray", 10)),
        rx.hstack(
            _stat("My open tasks", DashboardState.open_count, "stat-open"),
            _stat("Due today", DashboardState.due_today, "stat-due-today", "amber"),
            _stat("Overdue", DashboardState.overdue, "stat-overdue", "red"),
            _stat("In review", DashboardState.in_review, "stat-in-review", "violet"),
            width="100%",
            spacing="3",
            padding_y="16px",
        ),
        rx.heading("Next up", size="3", padding_bottom="8px"),
        rx.cond(
            DashboardState.upcoming.length() > 0,
            task_table(DashboardState.upcoming, show_project=True),
            empty_state("Nothing due", "Tasks assigned to you will show up here."),
        ),
        title="Dashboard",
    )
