"""The Reflex app: pages are registered here; rules live in services/."""

import reflex as rx

from feedback_app import http, routes, workers
from feedback_app.pages.admin import admin_page
from feedback_app.pages.dashboard import dashboard_page
from feedback_app.pages.item import item_page
from feedback_app.pages.login import login_page
from feedback_app.pages.not_found import not_found_page
from feedback_app.pages.portal import portal_page
from feedback_app.pages.project import project_page
from feedback_app.pages.projects import projects_page
from feedback_app.pages.tasks import my_tasks_page, task_page
from state.admin import AdminState
from state.dashboard import DashboardState
from state.item import ItemState
from state.login import LoginState
from state.portal import PortalState
from state.project import ProjectState
from state.projects import ProjectsState
from state.tasks import MyTasksState, TaskState

app = rx.App(
    style={"font_family": "Inter, system-ui, sans-serif"},
    stylesheets=["/theme.css"],  # secondary text contrast in the dark theme (assets/theme.css)
    api_transformer=http.api(),  # uploads and signed media (feedback_app/http.py)
)
app.register_lifespan_task(workers.media_pipeline_lifespan)

# Any other address (Reflex's "404" route); /favicon.ico is assets/favicon.ico.
app.add_page(not_found_page, route="404", title="Page not found · FeedBack")
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
app.add_page(item_page, route=routes.SHOT, title="Shot · FeedBack", on_load=ItemState.on_load_shot)
app.add_page(
    item_page, route=routes.ASSET, title="Asset · FeedBack", on_load=ItemState.on_load_asset
)
app.add_page(
    admin_page, route=routes.ADMIN_USERS, title="Admin · FeedBack", on_load=AdminState.on_load
)
app.add_page(
    portal_page, route=routes.PORTAL, title="Review · FeedBack", on_load=PortalState.on_load
)

# Background work for the app's whole life (notifications issue): notification writers
# subscribed to domain events, the outbox worker (Slack, email) and the overdue job.
from integrations.scheduler import lifespan as background_jobs  # noqa: E402

app.register_lifespan_task(background_jobs)

# Live kanban boards (kanban issue): for the app's lifetime, in every worker, each commit's
# changed cards go on the board bus (services/board_live.py, installed by the hub at startup)
# and the worker's hub pushes them to the open boards it holds.
from feedback_app import live_boards  # noqa: E402
from feedback_app.pages.board import board_page  # noqa: E402
from state.board import BoardCardsState, BoardFeedState, BoardState  # noqa: E402

live_boards.hub.install(app, feed_state=BoardFeedState, cards_state=BoardCardsState)
app.add_page(
    board_page, route=routes.PROJECT_BOARD, title="Board · FeedBack", on_load=BoardState.on_load
)
app.add_page(
    board_page, route=routes.TASKS_BOARD, title="Board · FeedBack", on_load=BoardState.on_load
)

# Live per-user pushes (the notification bell): feedback_app/live_users.py.
from feedback_app import live_users  # noqa: E402
from state.bell import BellState  # noqa: E402

live_users.hub.install(app, bell_state=BellState)

# The review room (versions issue): /review/<version id>, and the same room on the task page;
# open rooms refresh live when their task gets a comment, a decision, a version or a
# processing step (services/review_live.py publishes, feedback_app/live_reviews.py pushes).
from feedback_app import live_reviews  # noqa: E402
from feedback_app.pages.review import review_page  # noqa: E402
from services import review_live  # noqa: E402
from state.review import ReviewState  # noqa: E402

review_live.install()

# A deleted version's files leave storage after its delete commits (services/media_cleanup.py).
from services import media_cleanup  # noqa: E402

media_cleanup.install()
live_reviews.hub.install(app, ReviewState, TaskState)
app.add_page(
    review_page, route=routes.REVIEW, title="Review · FeedBack", on_load=ReviewState.on_load
)

# Live activity feeds and dashboards (notifications issue): after each commit the topics it
# changed (a project's or a task's activity, a dashboard scope) go on the feed bus
# (services/feed_live.py); each worker's hub (feedback_app/live_feeds.py) has the open feeds
# and dashboards it holds read again, each as its own viewer. A comment's feed line is written
# after commit (services/activity_events.py).
from feedback_app import live_feeds  # noqa: E402
from services import activity_events, feed_live  # noqa: E402
from state.activity import ProjectActivityState, TaskActivityState  # noqa: E402

activity_events.install()
feed_live.install()
live_feeds.hub.install(app, ProjectActivityState, TaskActivityState, DashboardState)

# Notification settings (Slack/email per type): linked from the bell and the user menu.
from feedback_app.pages.settings import notification_settings_page  # noqa: E402
from state.settings import NotificationSettingsState  # noqa: E402

app.add_page(
    notification_settings_page,
    route=routes.SETTINGS_NOTIFICATIONS,
    title="Notification settings · FeedBack",
    on_load=NotificationSettingsState.on_load,
)

# Share With Client (client portal issue): the portal for CLIENT users and review-link guests,
# each page refreshed live by the review hub (a room follows its task, a list its projects),
# and the project's client review sessions page.
from feedback_app.pages.portal import link_page, portal_review_page  # noqa: E402
from feedback_app.pages.review_sessions import review_sessions_page  # noqa: E402
from state.portal import PortalRoomState  # noqa: E402
from state.review_sessions import ReviewSessionsState  # noqa: E402

live_reviews.hub.register(PortalState, PortalRoomState, ReviewSessionsState)
app.add_page(
    portal_review_page,
    route=routes.PORTAL_REVIEW,
    title="Review · FeedBack",
    on_load=PortalRoomState.on_load,
)
app.add_page(link_page, route=routes.LINK, title="Review · FeedBack", on_load=PortalState.on_load)
app.add_page(
    portal_review_page,
    route=routes.LINK_REVIEW,
    title="Review · FeedBack",
    on_load=PortalRoomState.on_load,
)
app.add_page(
    review_sessions_page,
    route=routes.PROJECT_REVIEWS,
    title="Client reviews · FeedBack",
    on_load=ReviewSessionsState.on_load,
)
