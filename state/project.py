"""The project page: Shots, Assets, Tasks, Kanban and Activity tabs."""

from dataclasses import dataclass
from datetime import date, timedelta

import reflex as rx

from feedback_app import routes
from models import TaskType
from services import (
    assets,
    choices,
    overview,
    projects,
    shot_import,
    shots,
    tasks,
)
from services.db import session_scope
from services.errors import DomainError, NotFound
from services.tasks import QUICK_ADD
from state.activity import ProjectActivityState
from state.base import AppState, guard
from state.formatting import when
from state.rows import (
    ItemRow,
    TaskRow,
    item_row,
    task_row,
)
from state.task_dialog import NOBODY, Option

TABS = ("shots", "assets", "tasks", "kanban", "activity")
COLUMNS = ("TODO", "IN_PROGRESS", "INTERNAL_REVIEW", "CLIENT_REVIEW", "CHANGES", "DONE")
SHOT_QUICK = tuple(t.value for t in QUICK_ADD["shot"])
ASSET_QUICK = tuple(t.value for t in QUICK_ADD["asset"])
SORT_KEYS = ("title", "parent_code", "type", "status", "artist", "due_iso")
ANY = "all"
TYPE_ORDER = [t.value for t in TaskType]


@dataclass
class ImportPreviewRow:
    line: int
    code: str
    name: str
    frames: str
    due: str
    errors: str


class ProjectState(AppState):
    project_id: int = 0
    code: str = ""
    name: str = ""
    description: str = ""
    fps: str = ""
    resolution: str = ""
    start_frame: int = 1001
    archived: str = ""  # "" while running, else when it was archived
    confirm_archive: bool = False  # Archive asks first
    tab: str = "shots"
    shot_items: list[ItemRow] = []
    asset_items: list[ItemRow] = []
    tasks: list[TaskRow] = []  # the Activity tab is state.activity.ProjectActivityState (live)
    artist_options: list[Option] = []
    template_options: list[Option] = []
    selected_shots: list[int] = []
    selected_tasks: list[int] = []
    # Tasks tab filters and sorting
    f_status: str = ANY
    f_type: str = ANY
    f_artist: str = ANY
    f_due: str = ANY
    f_text: str = ""
    sort_key: str = "parent_code"
    sort_desc: bool = False
    # dialogs
    item_dialog: str = ""  # "", "shot" or "asset"
    item_error: str = ""
    import_open: bool = False
    import_text: str = ""
    import_rows: list[ImportPreviewRow] = []
    import_problems: list[str] = []
    import_checked: bool = False
    template_open: bool = False
    template_error: str = ""
    template_types: list[str] = []

    def _load(self, actor) -> None:
        with session_scope() as s:
            p = projects.get_project(s, actor=actor, project_id=self.project_id)
            self.code, self.name, self.description = p.code, p.name, p.description
            self.fps, self.resolution, self.start_frame = f"{p.fps:g}", p.resolution, p.start_frame
            self.archived = when(p.archived_at) if p.archived_at else ""
            self.shot_items = [
                item_row(i, SHOT_QUICK)
                for i in overview.shot_overview(s, actor=actor, project_id=p.id)
            ]
            self.asset_items = [
                item_row(i, ASSET_QUICK)
                for i in overview.asset_overview(s, actor=actor, project_id=p.id)
            ]
            self.tasks = [task_row(t) for t in tasks.list_tasks(s, actor=actor, project_id=p.id)]
            if actor.role in ("ADMIN", "PRODUCER", "SUPERVISOR"):
                artists, _ = choices.assignees(s, actor=actor)
                self.artist_options = [Option(c.value, c.label) for c in artists]
                self.template_options = [
                    Option(str(t.id), t.name)
                    for t in tasks.list_templates(s, actor=actor)
                    if t.applies_to == "SHOT"
                ]
            else:
                self.artist_options, self.template_options = [], []
        alive = {t.id for t in self.tasks}
        self.selected_tasks = [i for i in self.selected_tasks if i in alive]

    @rx.event
    @guard()
    def on_load(self, actor):
        try:
            project_id = int(self.route_arg("project_id"))
        except ValueError:
            raise NotFound("Project not found.") from None
        if project_id != self.project_id:
            self.selected_shots, self.selected_tasks = [], []
        self.project_id = project_id
        q = self.router.url.query_parameters
        tab = q.get("tab", "shots")
        self.tab = tab if tab in TABS else "shots"
        self._load(actor)
        return ProjectActivityState.on_load

    @rx.event
    def reload(self):
        actor = self.actor()
        if actor is None or not self.project_id:
            return
        try:
            self._load(actor)
        except DomainError as e:
            return rx.toast.error(str(e))

    @rx.event
    def set_tab(self, tab: str):
        if tab in TABS:
            self.tab = tab
            return rx.call_script(
                f"window.history.replaceState(null, '', '{routes.project(self.project_id)}"
                f"?tab={tab}')"
            )

    def _do(self, fn, success: str | None = None, **kwargs):
        """Run a use case, reload the page's data, toast the outcome."""
        try:
            result = self.call(fn, **kwargs)
        except DomainError as e:
            return rx.toast.error(str(e))
        self._load(self.actor())
        msg = success(result) if callable(success) else success
        return rx.toast.success(msg) if msg else None

    # ------------------------------------------------------------ archive

    @rx.event
    def set_confirm_archive(self, value: bool):
        self.confirm_archive = bool(value)

    @rx.event
    def archive(self):
        """Confirmed: archive the show (the service checks who may)."""
        self.confirm_archive = False
        return self._do(
            projects.archive_project,
            lambda p: f"{p.code} archived: hidden from lists and dashboards",
            project_id=self.project_id,
        )

    @rx.event
    def unarchive(self):
        return self._do(
            projects.unarchive_project,
            lambda p: f"{p.code} is back in the lists",
            project_id=self.project_id,
        )

    # ------------------------------------------------------------ shots & assets

    @rx.event
    def quick_add(self, kind: str, parent_id: int, task_type: str):
        key = "shot_id" if kind == "shot" else "asset_id"
        return self._do(
            tasks.quick_add,
            lambda t: f"{t.parent_code} {t.title} added",
            type=task_type,
            **{key: parent_id},
        )

    @rx.event
    def toggle_shot(self, shot_id: int, checked: bool):
        rest = [i for i in self.selected_shots if i != shot_id]
        self.selected_shots = [*rest, shot_id] if checked else rest

    @rx.event
    def select_all_shots(self, checked: bool):
        self.selected_shots = [i.id for i in self.shot_items] if checked else []

    @rx.event
    def apply_template(self, template_id: str):
        if not self.selected_shots:
            return rx.toast.error("Select the shots to apply the template to.")
        ids = list(self.selected_shots)
        result = self._do(
            tasks.apply_template,
            lambda created: f"{len(created)} task(s) created on {len(ids)} shot(s)",
            template_id=int(template_id),
            shot_ids=ids,
        )
        self.selected_shots = []
        return result

    @rx.event
    def set_template_open(self, value: bool):
        self.template_open = value
        self.template_error = ""
        self.template_types = []

    @rx.event
    def toggle_template_type(self, task_type: str, checked: bool):
        rest = [t for t in self.template_types if t != task_type]
        self.template_types = [*rest, task_type] if checked else rest

    @rx.event
    def create_template(self, form: dict):
        try:
            t = self.call(
                tasks.create_template,
                name=form.get("name", ""),
                applies_to="SHOT",
                task_types=sorted(self.template_types, key=TYPE_ORDER.index),
            )
        except DomainError as e:
            self.template_error = str(e)
            return
        self.template_open = False
        self._load(self.actor())
        return rx.toast.success(f"Template {t.name} saved")

    @rx.event
    def open_item_dialog(self, kind: str):
        self.item_dialog = kind if kind in ("shot", "asset") else ""
        self.item_error = ""

    @rx.var
    def next_shot_code(self) -> str:
        """What the New shot dialog offers (the next multiple of 10 after the highest)."""
        return shots.next_code(i.code for i in self.shot_items)

    @rx.event
    def close_item_dialog(self, value: bool):
        if not value:
            self.item_dialog = ""

    @rx.event
    def create_item(self, form: dict):
        kind = self.item_dialog
        common = {
            "name": form.get("name", ""),
            "description": form.get("description", ""),
            "due_date": form.get("due_date", ""),
        }
        try:
            if kind == "shot":
                item = self.call(
                    shots.create_shot,
                    project_id=self.project_id,
                    code=form.get("code", ""),
                    frame_in=form.get("frame_in", ""),
                    frame_out=form.get("frame_out", ""),
                    **common,
                )
                label = item.code
            else:
                item = self.call(
                    assets.create_asset,
                    project_id=self.project_id,
                    asset_code=form.get("code", ""),
                    **common,
                )
                label = item.asset_code
        except DomainError as e:
            self.item_error = str(e)
            return
        self.item_dialog = ""
        self._load(self.actor())
        return rx.toast.success(f"{label} added")

    # ------------------------------------------------------------ CSV import

    @rx.event
    def set_import_open(self, value: bool):
        self.import_open = value
        if value:
            self.import_text, self.import_rows, self.import_problems = "", [], []
            self.import_checked = False

    @rx.event
    def set_import_text(self, text: str):
        self.import_text = text
        self.import_checked = False

    @rx.event
    async def upload_csv(self, files: list[rx.UploadFile]):
        for f in files[:1]:
            data = await f.read(shot_import.MAX_BYTES + 1)
            self.import_text = data.decode("utf-8-sig", errors="replace")
        return ProjectState.preview_import

    @rx.event
    def preview_import(self):
        try:
            result = self.call(
                shot_import.preview, project_id=self.project_id, text=self.import_text
            )
        except DomainError as e:
            return rx.toast.error(str(e))
        self.import_rows = [
            ImportPreviewRow(
                line=r.line,
                code=r.code,
                name=r.name,
                frames=f"{r.frame_in}–{r.frame_out}" if r.frame_in or r.frame_out else "",
                due=r.due_date,
                errors="; ".join(r.errors),
            )
            for r in result.rows
        ]
        self.import_problems = list(result.file_errors) + [
            f"Line {r.line}: {'; '.join(r.errors)}" for r in result.bad_rows
        ]
        self.import_checked = True

    @rx.event
    def run_import(self):
        try:
            n = self.call(
                shot_import.import_shots, project_id=self.project_id, text=self.import_text
            )
        except DomainError as e:
            self.preview_import()
            return rx.toast.error(str(e))
        self.import_open = False
        self._load(self.actor())
        return rx.toast.success(f"{n} shot(s) imported")

    # ------------------------------------------------------------ tasks tab

    @rx.event
    def set_filter(self, name: str, value: str):
        if name in ("f_status", "f_type", "f_artist", "f_due", "f_text"):
            setattr(self, name, value)

    @rx.event
    def sort_by(self, key: str):
        if key not in SORT_KEYS:
            return
        self.sort_desc = not self.sort_desc if self.sort_key == key else False
        self.sort_key = key

    @rx.var
    def visible_tasks(self) -> list[TaskRow]:
        today = date.today()
        week_end = today + timedelta(days=6 - today.weekday())
        text = self.f_text.strip().lower()
        out = []
        for t in self.tasks:
            if self.f_status != ANY and t.status != self.f_status:
                continue
            if self.f_type != ANY and t.type != self.f_type:
                continue
            if self.f_artist != ANY and (t.artist or "") != self.f_artist:
                continue
            if self.f_due == "overdue" and t.due_tone != "overdue":
                continue
            if self.f_due == "week" and not (
                t.due_iso and today.isoformat() <= t.due_iso <= week_end.isoformat()
            ):
                continue
            if text and text not in f"{t.title} {t.parent_code} {t.type} {t.artist}".lower():
                continue
            out.append(t)
        key = self.sort_key
        # empty values sort last whatever the direction
        filled = [t for t in out if getattr(t, key)]
        empty = [t for t in out if not getattr(t, key)]
        filled.sort(key=lambda t: (getattr(t, key), t.parent_code, t.id), reverse=self.sort_desc)
        return filled + empty

    @rx.var
    def artist_names(self) -> list[str]:
        return sorted({t.artist for t in self.tasks if t.artist})

    @rx.event
    def toggle_task(self, task_id: int, checked: bool):
        rest = [i for i in self.selected_tasks if i != task_id]
        self.selected_tasks = [*rest, task_id] if checked else rest

    @rx.event
    def select_all_tasks(self, checked: bool):
        self.selected_tasks = [t.id for t in self.visible_tasks] if checked else []

    @rx.event
    def set_status(self, task_id: int, status: str):
        return self._do(tasks.move, None, task_id=task_id, status=status)

    @rx.event
    def set_artist(self, task_id: int, artist: str):
        artist_id = None if artist in ("", NOBODY) else int(artist)
        return self._do(tasks.assign, "Assignment saved", task_id=task_id, artist_id=artist_id)

    @rx.event
    def set_due(self, task_id: int, due: str):
        return self._do(tasks.set_due_date, "Due date saved", task_id=task_id, due_date=due)

    @rx.event
    def bulk_status(self, status: str):
        ids = list(self.selected_tasks)
        return self._do(tasks.bulk_move, f"{len(ids)} task(s) moved", task_ids=ids, status=status)

    @rx.event
    def bulk_artist(self, artist: str):
        ids = list(self.selected_tasks)
        artist_id = None if artist in ("", NOBODY) else int(artist)
        return self._do(
            tasks.bulk_assign, f"{len(ids)} task(s) assigned", task_ids=ids, artist_id=artist_id
        )
