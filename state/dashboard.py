"""The dashboard (/): widgets scoped by role, and for staff by project."""

from dataclasses import dataclass
from typing import ClassVar

import reflex as rx

from feedback_app import routes
from services import dashboard, feed_live, media_access, projects
from services.db import session_scope
from services.errors import DomainError
from state.base import AppState, guard
from state.deliveries import MANAGERS, DeliveriesState
from state.formatting import when
from state.live import LiveArea
from state.rows import STATUS_TEXT, TaskRow, task_row
from state.task_dialog import Option

STATUS_ORDER = ("TODO", "IN_PROGRESS", "INTERNAL_REVIEW", "CLIENT_REVIEW", "CHANGES")


@dataclass
class UploadRow:
    version_id: int
    task_id: int
    title: str
    project: str  # the project's code (shown when the dashboard spans projects)
    uploader: str
    when: str
    thumb: str
    state: str


@dataclass
class FeedbackRow:
    who: str
    is_client: bool
    text: str
    target: str
    project: str
    task_id: int
    when: str


@dataclass
class Segment:
    status: str
    count: int
    width: str  # CSS width, share of the busiest artist's load
    tip: str


@dataclass
class BarRow:
    name: str
    total: int
    overdue: int
    segments: list[Segment]


class DashboardState(LiveArea, AppState):
    """Live: follows the topics of its scope (services.feed_live.dashboard_topics); a pushed
    refresh reads the whole dashboard again as this viewer, at most every LIVE_GAP seconds,
    and sends only the widgets that changed."""

    LIVE_GAP: ClassVar[float] = 2.0

    scope: str = "all"
    project_options: list[Option] = []
    due_today: list[TaskRow] = []
    in_review: list[TaskRow] = []
    overdue: list[TaskRow] = []
    due_today_total: int = 0
    in_review_total: int = 0
    overdue_total: int = 0
    # "View all": /tasks showing what the widget counts (a producer's means everyone's)
    in_review_href: str = ""
    overdue_href: str = ""
    uploads: list[UploadRow] = []
    feedback: list[FeedbackRow] = []
    workload: list[BarRow] = []

    def _project_id(self) -> int | None:
        return int(self.scope) if self.scope.isdecimal() else None

    @rx.var
    def spans_projects(self) -> bool:
        """Every project at once (an artist's dashboard always): shot codes repeat across
        projects, so each line says whose it is."""
        return not self.scope.isdecimal()

    def _topics(self, actor) -> list[str]:
        with session_scope() as s:
            return feed_live.dashboard_topics(s, actor=actor, project_id=self._project_id())

    def _live_read(self, actor) -> None:
        self._load(actor)

    def _load(self, actor) -> None:
        project_id = self._project_id()
        values: dict = {}
        with session_scope() as s:
            d = dashboard.dashboard(s, actor=actor, project_id=project_id)
            thumbs = media_access.thumbnail_urls(
                s, actor=actor, version_ids=[u.version_id for u in d.uploads]
            )
            if actor.role in ("ADMIN", "PRODUCER", "SUPERVISOR"):
                options = [Option("all", "All projects")] + [
                    Option(str(p.id), f"{p.code} · {p.name}")
                    for p in projects.list_projects(s, actor=actor)
                ]
                if project_id is not None and str(project_id) not in {o.value for o in options}:
                    # scoped to a project archived since: keep it named while it is picked
                    p = projects.get_project(s, actor=actor, project_id=project_id)
                    options.append(Option(str(p.id), f"{p.code} · {p.name} (archived)"))
                values["project_options"] = options
        values["due_today"] = [task_row(t) for t in d.due_today]
        values["in_review"] = [task_row(t) for t in d.in_review]
        values["overdue"] = [task_row(t) for t in d.overdue]
        values["due_today_total"] = d.due_today_total
        values["in_review_total"] = d.in_review_total
        values["overdue_total"] = d.overdue_total
        values["in_review_href"] = routes.tasks_view("review", d.tasks_scope, d.project_id)
        values["overdue_href"] = routes.tasks_view("overdue", d.tasks_scope, d.project_id)
        values["uploads"] = [
            UploadRow(
                version_id=u.version_id,
                task_id=u.task_id,
                title=u.title,
                project=u.project_code,
                uploader=u.uploader,
                when=when(u.created_at),
                thumb=thumbs.get(u.version_id) or "",
                state=u.processing_state,
            )
            for u in d.uploads
        ]
        values["feedback"] = [
            FeedbackRow(
                who=f.who,
                is_client=f.is_client,
                text=f.text,
                target=f.target,
                project=f.project_code,
                task_id=f.task_id,
                when=when(f.created_at),
            )
            for f in d.feedback
        ]
        most = max((b.total for b in d.workload), default=1) or 1
        values["workload"] = [
            BarRow(
                name=b.name,
                total=b.total,
                overdue=b.overdue,
                segments=[
                    Segment(
                        status=k,
                        count=b.counts[k],
                        width=f"{100 * b.counts[k] / most:.1f}%",
                        tip=f"{STATUS_TEXT[k]}: {b.counts[k]}",
                    )
                    for k in STATUS_ORDER
                    if b.counts.get(k)
                ],
            )
            for b in d.workload
        ]
        for name, value in values.items():
            if getattr(self, name) != value:  # Reflex sends every assigned var: only changes
                setattr(self, name, value)

    @rx.event
    @guard()
    def on_load(self, actor):
        self._load_live(self._topics(actor), lambda: self._load(actor))
        return DeliveriesState.on_load if actor.role in MANAGERS else None

    @rx.event
    def set_scope(self, scope: str):
        self.scope = scope if scope == "all" or scope.isdecimal() else "all"
        actor = self.actor()
        if actor is None:
            return None
        try:
            self._load_live(self._topics(actor), lambda: self._load(actor))
        except DomainError as e:
            self.scope = "all"
            return rx.toast.error(str(e))
        return None

    @rx.event
    def refresh(self):
        actor = self.actor()
        if actor is not None and actor.role != "CLIENT":
            self._load(actor)
