"""Seed a believable demo show (services.demo_show) by playing it through the use cases, so the
activity feed, memberships and statuses come out exactly as real use would leave them.

Rows are stamped with "story time" (the last three weeks) instead of the moment of seeding, so
the feed, the version history and the dashboard read like a show in progress.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, func, select

from integrations.storage import Storage
from models import (
    Approval,
    Asset,
    Comment,
    ProcessingState,
    Project,
    Shot,
    Task,
    TaskStatus,
    User,
    Version,
)
from services import (
    assets,
    demo_clips,
    projects,
    reviews,
    sharing,
    shots,
    tasks,
    users,
    versions,
)
from services import demo_show as show
from services.errors import Conflict
from services.schemas import UserRead

RANDOM_SEED = 1001
STORY_DAYS = 21


class DatabaseNotEmpty(Conflict):
    """Seeding needs an empty database (no users); pass reset=True to replace everything."""


@dataclass(frozen=True)
class SeedSummary:
    users: int
    projects: int
    shots: int
    assets: int
    tasks: int
    versions: int
    comments: int
    approvals: int
    counts_by_status: dict[str, int]


def seed_demo(
    session: Session,
    *,
    media_storage: Storage,
    reset: bool = False,
    clip_cache_dir: Path | None = None,
    today: date | None = None,
) -> SeedSummary:
    """Fill an empty database with the demo show; media goes to media_storage. One
    transaction: the caller commits. Raises DatabaseNotEmpty if any user exists, unless reset,
    which first deletes every row (media files are overwritten, their keys being fixed)."""
    if session.exec(select(User.id).limit(1)).first() is not None:
        if not reset:
            raise DatabaseNotEmpty("The database is not empty; seed with reset to replace it.")
        wipe(session)
    clips = demo_clips.ClipCache(clip_cache_dir or demo_clips.default_clip_cache())
    clips.ensure([spec for spec, _ in demo_clips.planned_uploads()])
    seeder = _Seeder(session, media_storage, clips, today or date.today())
    sa.event.listen(session, "before_flush", seeder.clock.stamp)
    try:
        seeder.run()
        session.flush()
    finally:
        sa.event.remove(session, "before_flush", seeder.clock.stamp)
    return summarize(session)


def wipe(session: Session) -> None:
    """Delete every row of every table, children first (or TRUNCATE on PostgreSQL, which also
    restarts the ids)."""
    tables = SQLModel.metadata.sorted_tables
    if session.get_bind().dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            session.execute(table.delete())
    session.expunge_all()


def summarize(session: Session) -> SeedSummary:
    def count(model) -> int:
        return session.exec(select(func.count()).select_from(model)).one()

    by_status = {
        TaskStatus(s).value: n
        for s, n in session.exec(select(Task.status, func.count()).group_by(Task.status)).all()
    }
    return SeedSummary(
        users=count(User),
        projects=count(Project),
        shots=count(Shot),
        assets=count(Asset),
        tasks=count(Task),
        versions=count(Version),
        comments=count(Comment),
        approvals=count(Approval),
        counts_by_status=by_status,
    )


# ---------------------------------------------------------------- story time


class _Clock:
    """Stamps new and changed rows with the story's current time, not the wall clock."""

    def __init__(self, end: datetime):
        self.end = end
        self.now = end - timedelta(days=STORY_DAYS)

    def at(self, days_ago: float) -> None:
        self.now = min(self.end, self.end - timedelta(days=days_ago)).replace(microsecond=0)

    def stamp(self, session: Session, _flush_context, _instances) -> None:
        for obj in session.new:
            for attr in ("created_at", "added_at", "updated_at"):
                if hasattr(obj, attr):
                    setattr(obj, attr, self.now)
        for obj in session.dirty:
            if hasattr(obj, "updated_at") and session.is_modified(obj):
                obj.updated_at = self.now


# ---------------------------------------------------------------- the seeder


class _Seeder:
    def __init__(
        self, session: Session, storage: Storage, clips: demo_clips.ClipCache, today: date
    ):
        self.s = session
        self.storage = storage
        self.clips = clips
        self.today = today
        self.rng = random.Random(RANDOM_SEED)
        self.clock = _Clock(datetime.now(UTC).replace(microsecond=0))
        self.people: dict[str, UserRead] = {}
        self.shot_ids: dict[tuple[str, str], int] = {}
        self.asset_ids: dict[tuple[str, str], int] = {}
        self.review_sessions: dict[int, int] = {}  # project id -> review session id

    def due(self, days: int) -> date:
        return self.today + timedelta(days=days)

    def at(self, days_ago: float) -> None:
        """Move story time; what is pending is flushed first, so it keeps the earlier time."""
        self.s.flush()
        self.clock.at(days_ago)

    def run(self) -> None:
        self.at(STORY_DAYS)
        self._accounts()
        for project in show.PROJECTS:
            self._project(project)
        self._templates()
        plans = self._task_plans()
        for plan, task_id in plans:
            self._staff_task(plan, task_id)
        for plan, task_id in plans:
            self._play(plan, task_id)
        self._check(plans)

    # -- setup: people, projects, shots, assets, templates

    def _accounts(self) -> None:
        first, *rest = show.ACCOUNTS
        pw = show.DEMO_PASSWORD
        admin = users.bootstrap_user(
            self.s, email=first.email, name=first.name, role=first.role.value, password=pw
        )
        self.people[first.key] = admin
        for acc in rest:
            self.people[acc.key] = users.create_user(
                self.s,
                actor=admin,
                email=acc.email,
                name=acc.name,
                role=acc.role.value,
                password=pw,
            )

    def _project(self, plan: show.ProjectPlan) -> None:
        producer = self.people["producer"]
        self.at(STORY_DAYS - 0.2)
        project = projects.create_project(
            self.s,
            actor=producer,
            code=plan.code,
            name=plan.name,
            description=plan.description,
            fps=plan.fps,
            start_frame=1001,
            resolution="1920x1080",
        )
        if plan.client_member:
            users.set_membership(
                self.s,
                actor=producer,
                project_id=project.id,
                user_id=self.people["client"].id,
                member=True,
            )
        self.at(STORY_DAYS - 0.5)
        for item in plan.shots:
            self.shot_ids[plan.code, item.code] = shots.create_shot(
                self.s,
                actor=producer,
                project_id=project.id,
                code=item.code,
                name=item.name,
                description=item.description,
                priority=item.priority.value,
                frame_in=1001,
                frame_out=1000 + item.frames,
                due_date=self.due(item.due),
                lead_id=self.people[item.lead].id,
            ).id
        for item in plan.assets:
            self.asset_ids[plan.code, item.code] = assets.create_asset(
                self.s,
                actor=producer,
                project_id=project.id,
                asset_code=item.code,
                name=item.name,
                description=item.description,
                priority=item.priority.value,
                due_date=self.due(item.due),
                assigned_lead_id=self.people[item.lead].id,
            ).id

    def _templates(self) -> None:
        producer = self.people["producer"]
        self.at(STORY_DAYS - 1)
        for (name, applies_to, types), ids in (
            (show.SHOT_TEMPLATE, self.shot_ids),
            (show.ASSET_TEMPLATE, self.asset_ids),
        ):
            template = tasks.create_template(
                self.s, actor=producer, name=name, applies_to=applies_to, task_types=list(types)
            )
            key = "shot_ids" if applies_to == "SHOT" else "asset_ids"
            tasks.apply_template(
                self.s, actor=producer, template_id=template.id, **{key: list(ids.values())}
            )

    def _parent(self, plan: show.TaskPlan) -> dict[str, int]:
        key = (plan.project, plan.parent)
        if key in self.shot_ids:
            return {"shot_id": self.shot_ids[key]}
        return {"asset_id": self.asset_ids[key]}

    def _task_plans(self) -> list[tuple[show.TaskPlan, int]]:
        """The planned tasks with their ids: template tasks found, hand-made ones created."""
        producer = self.people["producer"]
        self.at(STORY_DAYS - 1.5)
        found = []
        for plan in show.TASKS:
            parent = self._parent(plan)
            if plan.title is None:
                column = Task.shot_id if "shot_id" in parent else Task.asset_id
                task_id = self.s.exec(
                    select(Task.id).where(
                        column == next(iter(parent.values())), Task.type == plan.type
                    )
                ).one()
            else:
                task_id = tasks.create_task(
                    self.s,
                    actor=producer,
                    type=plan.type,
                    title=plan.title,
                    description=plan.description,
                    assigned_supervisor_id=self.people["supervisor"].id,
                    **parent,
                ).id
            found.append((plan, task_id))
        return found

    def _staff_task(self, plan: show.TaskPlan, task_id: int) -> None:
        """Assignment, due date, estimate and watchers, as the producer would set them."""
        producer = self.people["producer"]
        self.at(STORY_DAYS - 2 - self.rng.random())
        if plan.artist:
            tasks.assign(
                self.s, actor=producer, task_id=task_id, artist_id=self.people[plan.artist].id
            )
        tasks.set_due_date(self.s, actor=producer, task_id=task_id, due_date=self.due(plan.due))
        changes = {"estimated_hours": show.ESTIMATED_HOURS.get(plan.type)}
        if plan.description and plan.title is None:
            changes["description"] = plan.description
        tasks.update_task(self.s, actor=producer, task_id=task_id, **changes)
        if plan.watchers:
            tasks.set_watchers(
                self.s,
                actor=producer,
                task_id=task_id,
                user_ids=[self.people[w].id for w in plan.watchers],
            )

    # -- the review story of one task

    def _play(self, plan: show.TaskPlan, task_id: int) -> None:
        steps = show.STORIES[plan.story]
        if not steps:
            return
        finished = plan.story in ("done", "client_approved")
        end_ago = max(0.3, 0.4 - plan.due) if finished else self.rng.uniform(0.05, 0.9)
        start_ago = min(STORY_DAYS - 3, end_ago + 0.8 * len(steps) + 1)
        gap = (start_ago - end_ago) / max(1, len(steps) - 1)
        story = _Story(self, plan, task_id)
        for i, step in enumerate(steps):
            self.at(start_ago - i * gap + self.rng.uniform(0, gap / 3))
            getattr(story, step)()
        self.s.flush()

    def _check(self, plans: list[tuple[show.TaskPlan, int]]) -> None:
        for plan, task_id in plans:
            status = self.s.get(Task, task_id).status
            expected = show.STORY_STATUS[plan.story]
            if status is not expected:  # the show no longer matches the workflow rules
                raise RuntimeError(
                    f"demo {plan.project} {plan.parent} {plan.type}: {status.value}, "
                    f"expected {expected.value}"
                )

    # -- media and sharing, which have no use case of their own yet

    def store_media(self, version_id: int, spec: demo_clips.ClipSpec) -> None:
        """What the media pipeline will do after an upload: store the files, record the probe.
        The clip is H.264 already, so it is its own proxy."""
        clip = self.clips.get(spec)
        base = f"demo/{spec.stem.lower()}"
        original_key, thumb_key = f"{base}/original.mp4", f"{base}/thumbnail.jpg"
        v = self.s.get(Version, version_id)
        v.file_size = self.storage.save_file(original_key, clip.video)
        self.storage.save_file(thumb_key, clip.thumbnail)
        v.original_key = v.proxy_key = original_key
        v.thumbnail_key = thumb_key
        p = clip.probe
        v.width, v.height, v.fps = p.width, p.height, p.fps
        v.frame_count, v.duration, v.codec = p.frame_count, p.duration, p.codec
        v.processing_state = ProcessingState.READY
        self.s.add(v)

    def share(self, actor: UserRead, version_id: int) -> None:
        """Share With Client through the use case, into the project's demo review link."""
        v = self.s.get(Version, version_id)
        session_id = self.review_sessions.get(v.project_id)
        spec = None
        if session_id is None:
            project = self.s.get(Project, v.project_id)
            spec = sharing.NewSession(
                name=f"{project.name}: client review", expires_on=self.due(30)
            )
        result = sharing.share_version(
            self.s,
            actor=actor,
            version_id=version_id,
            review_session_id=session_id,
            new_session=spec,
            now=self.clock.now,
        )
        self.review_sessions[v.project_id] = result.review_session_id
        self.s.flush()


class _Story:
    """The steps of show.STORIES, acted out on one task by the people involved."""

    def __init__(self, seeder: _Seeder, plan: show.TaskPlan, task_id: int):
        self.sd = seeder
        self.s = seeder.s
        self.plan = plan
        self.task_id = task_id
        self.version_id: int | None = None
        self.number = 0
        task = self.s.get(Task, task_id)
        people = seeder.people
        self.artist = people[plan.artist] if plan.artist else people["supervisor"]
        sup_id = task.assigned_supervisor_id
        self.supervisor = next((u for u in people.values() if u.id == sup_id), people["supervisor"])
        self.producer = people["producer"]
        self.client = people["client"]

    def _pick(self, options: tuple[str, ...]) -> str:
        return options[self.sd.rng.randrange(len(options))]

    def _frame(self) -> int:
        return self.sd.rng.randrange(4, demo_clips.CLIP_FRAMES - 4)

    def _comment(self, actor: UserRead, body: str, **kw) -> int:
        return reviews.add_comment(self.s, actor=actor, version_id=self.version_id, body=body, **kw)

    def start(self) -> None:
        tasks.move(self.s, actor=self.artist, task_id=self.task_id, status="IN_PROGRESS")

    def upload(self) -> None:
        self.number += 1
        project = next(p for p in show.PROJECTS if p.code == self.plan.project)
        item = next(i for i in (*project.shots, *project.assets) if i.code == self.plan.parent)
        spec = demo_clips.clip_spec(project, item, self.plan.type, self.number)
        filename = f"{project.code}_{item.code}_{self.plan.type.lower()}_v{self.number:03d}.mp4"
        descriptions = show.VERSION_DESCRIPTIONS
        version = versions.create_version(
            self.s,
            actor=self.artist,
            task_id=self.task_id,
            original_filename=filename,
            description=descriptions[min(self.number, len(descriptions)) - 1],
            processing_state=ProcessingState.PROCESSING,
        )
        self.version_id = version.id
        self.sd.store_media(version.id, spec)

    def note(self) -> None:
        notes = show.SUPERVISOR_NOTES.get(self.plan.type, show.SUPERVISOR_NOTES["COMP"])
        self.last_note = self._comment(self.supervisor, self._pick(notes), frame=self._frame())

    def reply(self) -> None:
        self._comment(self.artist, self._pick(show.ARTIST_REPLIES), parent_id=self.last_note)

    def changes(self) -> None:
        reviews.record_approval(
            self.s,
            actor=self.supervisor,
            version_id=self.version_id,
            decision="CHANGES_REQUESTED",
            note="See the notes on the frames.",
        )

    def approve(self) -> None:
        reviews.record_approval(
            self.s, actor=self.supervisor, version_id=self.version_id, decision="APPROVED"
        )

    def share(self) -> None:
        self.sd.share(self.producer, self.version_id)

    def client_note(self) -> None:
        self._comment(self.client, self._pick(show.CLIENT_NOTES), frame=self._frame())

    def client_changes(self) -> None:
        reviews.record_approval(
            self.s,
            actor=self.client,
            version_id=self.version_id,
            decision="CHANGES_REQUESTED",
            note="Nearly there, see my note.",
        )

    def client_approve(self) -> None:
        self._comment(self.client, show.CLIENT_APPROVAL_NOTE)
        reviews.record_approval(
            self.s,
            actor=self.client,
            version_id=self.version_id,
            decision="APPROVED",
            note=show.CLIENT_APPROVAL_NOTE,
        )

    def final(self) -> None:
        tasks.move(self.s, actor=self.producer, task_id=self.task_id, status="DONE")
