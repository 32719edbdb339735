import contextlib

import anyio.to_thread
import reflex as rx

from feedback_app import routes
from feedback_app.live_reviews import hub
from services import choices, deletions, reviews, tasks, workload
from services.db import session_scope
from services.errors import DomainError, NotFound
from state.activity import TaskActivityState
from state.base import AppState, guard
from state.comment_actions import CommentActions
from state.formatting import when
from state.review import ReviewState
from state.rows import CommentRow, TaskRow, task_row
from state.task_dialog import NOBODY, Option

VIEW_LABELS = {
    "mine": "My Tasks",
    "week": "Due This Week",
    "overdue": "Overdue",
    "review": "Awaiting Review",
    "watching": "Watching",
}


class MyTasksState(AppState):
    """/tasks: the signed-in user's workload (staff can look at one artist or everyone)."""

    view: str = "mine"
    scope: str = "me"
    project: str = ""  # a project's id: its tasks only (the dashboard's project scope)
    project_code: str = ""
    counts: dict[str, int] = {}
    tasks: list[TaskRow] = []
    people: list[Option] = []

    def _load(self, actor) -> None:
        with session_scope() as s:
            w = workload.workload(
                s,
                actor=actor,
                view=self.view,
                scope=self.scope,
                project_id=int(self.project) if self.project else None,
            )
            if actor.role in ("ADMIN", "PRODUCER", "SUPERVISOR") and not self.people:
                artists, _ = choices.assignees(s, actor=actor)
                self.people = [Option("me", "Me"), Option("everyone", "Everyone")] + [
                    Option(c.value, c.label) for c in artists
                ]
        self.counts = w.counts
        self.tasks = [task_row(t) for t in w.tasks]
        self.project_code = w.project_code

    @rx.event
    @guard()
    def on_load(self, actor):
        q = self.router.url.query_parameters
        self.view = q.get("view", "mine") if q.get("view") in VIEW_LABELS else "mine"
        self.scope = q.get("scope", "me") or "me"
        project = q.get("project", "")
        self.project = project if project.isdecimal() else ""
        self._load(actor)

    def _go(self):
        try:
            self._load(self.actor())
        except DomainError as e:
            self.scope, self.project = "me", ""
            return rx.toast.error(str(e))
        url = routes.tasks_view(self.view, self.scope, int(self.project) if self.project else None)
        return rx.call_script(f"window.history.replaceState(null, '', '{url}')")

    @rx.event
    def all_projects(self):
        self.project = ""
        return self._go()

    @rx.event
    def set_view(self, view: str):
        if view in VIEW_LABELS:
            self.view = view
            return self._go()

    @rx.event
    def set_scope(self, scope: str):
        if scope == "me" or scope == "everyone" or scope.isdecimal():
            self.scope = scope
            if scope != "me" and self.view == "watching":
                self.view = "mine"  # watching is one's own list: nothing to show for others
            return self._go()

    @rx.event
    def reload(self):
        return self._go()


class TaskState(CommentActions, AppState):
    """The task page's production metadata and its notes (edited and deleted with the review
    room's ⋯ menu, CommentActions). Its versions, their comments and decisions are the review
    room's (state.review.ReviewState), on the same page; both refresh live when the task
    changes. Its activity is state.activity.TaskActivityState."""

    task: TaskRow | None = None
    task_id: int = 0
    description: str = ""
    estimated_hours: str = ""
    supervisor_id: str = NOBODY
    watcher_names: list[str] = []
    watching: bool = False
    comments: list[CommentRow] = []  # notes on the task itself (version comments: the room)
    artist_options: list[Option] = []
    supervisor_options: list[Option] = []
    editing: bool = False
    comment_text: str = ""
    confirm_delete_task: bool = False  # Delete task asks first

    def _load(self, actor) -> None:
        with session_scope() as s:
            t = tasks.get_task(s, actor=actor, task_id=self.task_id)
            self.comments = [
                CommentRow(
                    id=c.id,
                    author=c.author_name,
                    is_client=c.is_client,
                    body=c.body,
                    where="task",
                    when=when(c.created_at),
                    edited=f"edited {when(c.edited_at)}" if c.edited_at and not c.deleted else "",
                    deleted=c.deleted,
                    can_edit=c.can_edit,
                    can_delete=c.can_delete,
                )
                for c in reviews.list_task_comments(s, actor=actor, task_id=t.id)
                if c.version_id is None
            ]
            self._keep_open_actions(self.comments)
            names = {}
            if actor.role in ("ADMIN", "PRODUCER", "SUPERVISOR"):
                artists, sups = choices.assignees(s, actor=actor)
                self.artist_options = [Option(c.value, c.label) for c in artists]
                self.supervisor_options = [Option(c.value, c.label) for c in sups]
                names = {int(c.value): c.label for c in artists}
        self.task = task_row(t)
        self.description = t.description
        self.estimated_hours = f"{t.estimated_hours:g}" if t.estimated_hours is not None else ""
        self.supervisor_id = str(t.assigned_supervisor_id or NOBODY)
        self.watching = actor.id in t.watcher_ids
        self.watcher_names = [names.get(i, "") for i in t.watcher_ids if names.get(i)] or (
            ["You"] if self.watching else []
        )

    @rx.event
    @guard()
    def on_load(self, actor):
        try:
            self.task_id = int(self.route_arg("task_id"))
        except ValueError:
            raise NotFound("Task not found.") from None
        self.task, self.editing, self.comment_text = None, False, ""
        self.editing_id = self.deleting_id = 0
        self._load(actor)
        hub.open(self.router.session.client_token, self.task_id, TaskState)
        # the review room on this page joins the same task; the activity feed follows it live
        return [ReviewState.on_load_task, TaskActivityState.on_load]

    async def _live_refresh(self) -> None:
        """Called by the review hub (inside app.modify_state) when the task changed: a
        decision or an upload moves its status."""
        if not self.task_id:
            return
        actor = await anyio.to_thread.run_sync(self.actor)
        if actor is None:
            return
        with contextlib.suppress(DomainError):  # e.g. access removed: the next load says so
            await anyio.to_thread.run_sync(self._load, actor)

    def _do(self, fn, success: str | None = None, **kwargs):
        try:
            self.call(fn, task_id=self.task_id, **kwargs)
        except DomainError as e:
            return rx.toast.error(str(e))
        self._load(self.actor())
        return rx.toast.success(success) if success else None

    @rx.event
    def set_status(self, status: str):
        return self._do(tasks.move, None, status=status)

    @rx.event
    def set_artist(self, value: str):
        return self._do(
            tasks.assign, "Artist assigned", artist_id=None if value == NOBODY else int(value)
        )

    @rx.event
    def set_supervisor(self, value: str):
        return self._do(
            tasks.assign,
            "Supervisor set",
            supervisor_id=None if value == NOBODY else int(value),
        )

    @rx.event
    def set_due(self, value: str):
        return self._do(tasks.set_due_date, "Due date saved", due_date=value)

    @rx.event
    def toggle_watch(self):
        return self._do(
            tasks.watch,
            "Watching" if not self.watching else "No longer watching",
            watching=not self.watching,
        )

    @rx.event
    def set_editing(self, value: bool):
        self.editing = value

    @rx.event
    def save_details(self, form: dict):
        try:
            self.call(
                tasks.update_task,
                task_id=self.task_id,
                title=form.get("title", ""),
                description=form.get("description", ""),
                priority=form.get("priority", "NORMAL"),
                estimated_hours=form.get("estimated_hours", ""),
                type=form.get("type", ""),
            )
        except DomainError as e:
            return rx.toast.error(str(e))
        self.editing = False
        self._load(self.actor())
        return rx.toast.success("Task saved")

    @rx.event
    def set_confirm_delete_task(self, value: bool):
        self.confirm_delete_task = bool(value)

    @rx.event
    def delete_task(self):
        """Confirmed: delete the task with its versions, then go to its project."""
        self.confirm_delete_task = False
        try:
            done = self.call(deletions.delete_task, task_id=self.task_id)
        except DomainError as e:
            return rx.toast.error(str(e))
        return [
            rx.redirect(routes.project(done.project_id)),
            rx.toast.success(f"Deleted the {done.label} task"),
        ]

    def _as_commenter(self, fn, **kwargs):
        return self.call(fn, **kwargs)

    def _refresh(self):
        actor = self.actor()
        if actor is None:
            return None
        try:
            self._load(actor)
        except DomainError as e:  # e.g. access removed meanwhile
            return rx.toast.error(str(e))
        return None

    @rx.event
    def set_comment_text(self, text: str):
        self.comment_text = text

    @rx.event
    def add_comment(self):
        result = self._do(reviews.add_task_comment, None, body=self.comment_text)
        if result is None:
            self.comment_text = ""
        return result
