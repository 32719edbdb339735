"""Every route of the app, in one place."""

LOGIN = "/login"
DASHBOARD = "/"
PROJECTS = "/projects"
PROJECT = "/projects/[project_id]"
SHOT = "/projects/[project_id]/shots/[shot_id]"
ASSET = "/projects/[project_id]/assets/[asset_id]"
TASKS = "/tasks"  # ?view=review&scope=everyone&project=ID: see tasks_view()
TASK = "/tasks/[task_id]"
ADMIN_USERS = "/admin/users"
PORTAL = "/portal"
PORTAL_REVIEW = "/portal/review/[version_id]"  # a CLIENT user's player
LINK = "/r/[token]"  # a client review link (guests give a name, maybe a password)
LINK_REVIEW = "/r/[token]/[version_id]"
PROJECT_REVIEWS = "/projects/[project_id]/reviews"  # the project's client review sessions
PROJECT_BOARD = "/projects/[project_id]/board"  # ?shot=ID or ?asset=ID: one shot's/asset's tasks
TASKS_BOARD = "/tasks/board"  # ?artist=ID: one artist's tasks across projects (default: mine)
REVIEW = "/review/[version_id]"  # ?frame=1012 opens at that frame (project start frame + index)
SETTINGS_NOTIFICATIONS = "/settings/notifications"  # Slack/email on or off per notification type

# HTTP routes beside the pages (Starlette syntax), served by feedback_app.http.
API_TASK_VERSIONS = "/api/tasks/{task_id:int}/versions"  # POST the raw file: a new version
MEDIA_PREFIX = "/media"  # = services.media_access.URL_PREFIX, the signed links it issues
MEDIA = MEDIA_PREFIX + "/{key:path}"  # GET/HEAD a signed link (Range requests answered)


def project(project_id: int | str) -> str:
    return f"/projects/{project_id}"


def task(task_id: int | str) -> str:
    return f"/tasks/{task_id}"


def review(version_id: int | str) -> str:
    return f"/review/{version_id}"


def portal_review(version_id: int | str) -> str:
    return f"/portal/review/{version_id}"


def link(token: str) -> str:
    return f"/r/{token}"


def project_reviews(project_id: int | str) -> str:
    return f"/projects/{project_id}/reviews"


def task_versions_api(task_id: int | str) -> str:
    return f"/api/tasks/{task_id}/versions"


def project_board(
    project_id: int | str, *, shot_id: int | None = None, asset_id: int | None = None
) -> str:
    if shot_id:
        return f"/projects/{project_id}/board?shot={shot_id}"
    if asset_id:
        return f"/projects/{project_id}/board?asset={asset_id}"
    return f"/projects/{project_id}/board"


def tasks_view(view: str, scope: str = "me", project_id: int | None = None) -> str:
    """/tasks showing one workload view (services.workload), maybe of one project."""
    query = f"?view={view}&scope={scope}"
    return f"/tasks{query}&project={project_id}" if project_id else f"/tasks{query}"


def artist_board(artist_id: int | None = None) -> str:
    return f"/tasks/board?artist={artist_id}" if artist_id else "/tasks/board"


def home_for(role: str) -> str:
    return PORTAL if role == "CLIENT" else DASHBOARD
