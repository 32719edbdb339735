"""The app shell: a slim sidebar (Dashboard, Projects, Tasks, Board, Admin) with the current
page's section highlighted, the signed-in user and role, Sign out."""

import reflex as rx
from reflex.utils.imports import ImportVar
from reflex.vars.base import VarData

from components.bell import bell
from components.share import share_dialog
from feedback_app import routes
from state.base import AppState
from state.bell import BellState

# The sidebar section of the page on screen, read from the browser's location (react-router),
# so it is right on the first paint of every page, before any event reaches the server:
# /projects/... is Projects (a project's board too), /tasks/board Board, other /tasks... Tasks.
_SECTION = rx.Var(
    _js_expr=(
        "((p) => p === '/' ? 'dashboard' : p.startsWith('/projects') ? 'projects'"
        " : p.startsWith('/tasks/board') ? 'board' : p.startsWith('/tasks') ? 'tasks'"
        " : p.startsWith('/admin') ? 'admin' : p.startsWith('/settings') ? 'settings' : '')"
        "(navLocation.pathname.replace(/\\/+$/, '') || '/')"
    ),
    _var_type=str,
    _var_data=VarData(
        imports={"react-router": [ImportVar(tag="useLocation")]},
        hooks={"const navLocation = useLocation();": None},
    ),
)


def _nav_item(label: str, icon: str, href: str, item_id: str, section: str) -> rx.Component:
    active = section == _SECTION
    return rx.link(
        rx.hstack(rx.icon(icon, size=16), rx.text(label, size="2"), spacing="2", align="center"),
        href=href,
        id=item_id,
        underline="none",
        color=rx.cond(active, rx.color("accent", 12), rx.color("gray", 12)),
        background=rx.cond(active, rx.color("accent", 4), "transparent"),
        font_weight=rx.cond(active, "600", "400"),
        aria_current=rx.cond(active, "page", "false"),
        data_active=rx.cond(active, "true", "false"),
        padding="6px 10px",
        border_radius="6px",
        width="100%",
        _hover={"background": rx.cond(active, rx.color("accent", 5), rx.color("gray", 4))},
    )


def sidebar() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon("clapperboard", size=20, color=rx.color("accent", 10), flex_shrink="0"),
            rx.text("FeedBack", weight="bold", size="4"),
            rx.spacer(),
            bell(),
            align="center",
            spacing="2",
            padding="4px 4px 16px 10px",
            width="100%",
            on_mount=BellState.connect,
        ),
        _nav_item("Dashboard", "layout-dashboard", routes.DASHBOARD, "nav-dashboard", "dashboard"),
        _nav_item("Projects", "folder-kanban", routes.PROJECTS, "nav-projects", "projects"),
        _nav_item("Tasks", "list-checks", routes.TASKS, "nav-tasks", "tasks"),
        _nav_item("Board", "square-kanban", routes.TASKS_BOARD, "nav-board", "board"),
        rx.cond(
            AppState.is_admin,
            _nav_item("Admin", "shield", routes.ADMIN_USERS, "nav-admin", "admin"),
        ),
        rx.spacer(),
        rx.hstack(
            rx.avatar(fallback=AppState.user_initials, size="2", radius="full", variant="soft"),
            rx.vstack(
                rx.text(AppState.user_name, size="2", weight="medium", id="nav-user"),
                rx.text(AppState.role_label, size="1", color=rx.color("gray", 10), id="nav-role"),
                spacing="0",
            ),
            align="center",
            spacing="2",
            padding_x="10px",
        ),
        rx.link(
            rx.hstack(rx.icon("settings-2", size=14), rx.text("Notification settings", size="1")),
            href=routes.SETTINGS_NOTIFICATIONS,
            id="nav-settings",
            underline="none",
            color=rx.cond(_SECTION == "settings", rx.color("accent", 11), rx.color("gray", 11)),
            aria_current=rx.cond(_SECTION == "settings", "page", "false"),
            padding="4px 10px",
            _hover={"color": rx.color("gray", 12)},
        ),
        rx.button(
            rx.icon("log-out", size=14),
            "Sign out",
            variant="ghost",
            size="1",
            color_scheme="gray",
            on_click=AppState.sign_out,
            id="sign-out",
            margin_left="10px",
        ),
        height="100vh",
        width="200px",
        min_width="200px",
        padding="16px 8px",
        border_right=f"1px solid {rx.color('gray', 4)}",
        background=rx.color("gray", 2),
        position="sticky",
        top="0",
        spacing="1",
    )


def page_shell(*children, title: str | rx.Var = "", actions: rx.Component | None = None):
    return rx.hstack(
        rx.script(src="/shortcuts.js"),
        sidebar(),
        share_dialog(),
        rx.box(
            rx.hstack(
                rx.heading(title, size="5", id="page-title"),
                rx.spacer(),
                actions or rx.fragment(),
                align="center",
                width="100%",
                padding_bottom="16px",
            ),
            *children,
            flex="1",
            min_width="0",
            padding="20px 28px",
            max_width="1400px",
        ),
        spacing="0",
        align="start",
        width="100%",
        min_height="100vh",
    )
