"""The Reflex app: pages are registered here; rules live in services/."""

import reflex as rx

from feedback_app import routes
from feedback_app.pages.admin import admin_page
from feedback_app.pages.dashboard import dashboard_page
from feedback_app.pages.login import login_page
from feedback_app.pages.portal import portal_page
from feedback_app.pages.project import project_page
from feedback_app.pages.projects import projects_page
from feedback_app.pages.tasks import my_tasks_page, task_page
from state.admin import AdminState
from state.dashboard import DashboardState
from state.login import LoginState
from state.portal import PortalState
from state.project import ProjectState
from state.projects import ProjectsState
from state.tasks import MyTasksState, TaskState

app = rx.App(style={"font_family": "Inter, system-ui, sans-serif"})

app.add_page(login_page, route=routes.LOGIN, title="Sign in · FeedBack", on_load=LoginState.on_load)
app.add_page(
    dashboard_page, route=routes.DASHBOARD, title="FeedBack", on_load=DashboardState.on_load
)
app.add_page(
    projects_page, route=routes.PROJECTS, title="Projects · FeedBack", on_load=ProjectsState.on_load
)
app.add_page(
    project_page, route=routes.PROJECT, title="Project · FeedBack", on_load=ProjectState.on_load
)
app.add_page(
    my_tasks_page, route=routes.TASKS, title="Tasks · FeedBack", on_load=MyTasksState.on_load
)
app.add_page(task_page, route=routes.TASK, title="Task · FeedBack", on_load=TaskState.on_load)
app.add_page(
    admin_page, route=routes.ADMIN_USERS, title="Admin · FeedBack", on_load=AdminState.on_load
)
app.add_page(
    portal_page, route=routes.PORTAL, title="Review · FeedBack", on_load=PortalState.on_load
)
