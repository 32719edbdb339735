"""Every route of the app, in one place."""

LOGIN = "/login"
DASHBOARD = "/"
PROJECTS = "/projects"
PROJECT = "/projects/[project_id]"
SHOT = "/projects/[project_id]/shots/[shot_id]"
ASSET = "/projects/[project_id]/assets/[asset_id]"
TASKS = "/tasks"
TASK = "/tasks/[task_id]"
ADMIN_USERS = "/admin/users"
PORTAL = "/portal"


def project(project_id: int | str) -> str:
    return f"/projects/{project_id}"


def task(task_id: int | str) -> str:
    return f"/tasks/{task_id}"


def home_for(role: str) -> str:
    return PORTAL if role == "CLIENT" else DASHBOARD
