"""The kanban board: its cards built for one viewer in a fixed handful of queries, the filters
that narrow it, and the rules that say which card a viewer sees and may drag.

The same predicates decide what a board shows when it loads (`build_board`) and what a live
change does to an open board (the app's live hub calls `card_for_board`), so a card never
appears live on a board that would not have shown it on reload.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, func, or_, select

from models import (
    Approval,
    ApprovalDecision,
    ApprovalStage,
    Asset,
    Comment,
    ProcessingState,
    Project,
    Role,
    Shot,
    Task,
    TaskStatus,
    TaskWatcher,
    User,
    Version,
)
from models.enums import STAFF_ROLES
from services import access, media_access, permissions, projects, tasks
from services.errors import NotFound, ValidationError
from services.schemas import UserRead
from services.workflow import LIFECYCLE

COLUMNS: tuple[str, ...] = tuple(s.value for s in LIFECYCLE)
DUE_CHOICES = ("overdue", "week")
UNASSIGNED = 0  # the artist filter's value for "nobody"

# Approval state on a card: the latest decision on the task's latest version.
INTERNAL_APPROVED = "INTERNAL_APPROVED"
CLIENT_APPROVED = "CLIENT_APPROVED"
CHANGES_REQUESTED = "CHANGES_REQUESTED"


# ---------------------------------------------------------------- read models


@dataclass(slots=True)  # not frozen: a board builds 1,000s at once, frozen costs 10x each
class Card:
    """One task as a board shows it. `supervisor_id` and `watcher_ids` are routing facts (who
    may see the card); they never reach a browser. Treat it as read-only."""

    id: int
    project_id: int
    project_code: str
    title: str
    type: str
    status: str
    sort_order: float
    shot_id: int | None
    asset_id: int | None
    parent_code: str
    artist_id: int | None
    artist_name: str
    supervisor_id: int | None
    watcher_ids: tuple[int, ...]
    due_date: date | None
    version_number: int  # latest version, 0 when there is none
    # A signed link to the latest version's thumbnail once that version is READY, else "".
    thumbnail_url: str
    comment_count: int
    approval: str  # "", INTERNAL_APPROVED, CLIENT_APPROVED or CHANGES_REQUESTED
    version_id: int = 0  # the latest version (Share With Client from the card's menu)
    version_ready: bool = False  # its proxy is playable: it may be shared
    shared: bool = False  # it is shared with the client
    project_archived: bool = False  # an artist's board leaves archived shows out


@dataclass(frozen=True)
class Viewer:
    id: int
    role: str

    @classmethod
    def of(cls, user: UserRead) -> Viewer:
        return cls(id=user.id, role=user.role)

    @property
    def is_staff(self) -> bool:
        return Role(self.role) in STAFF_ROLES


@dataclass(frozen=True)
class BoardScope:
    """Which tasks a board is about: one project's (optionally one shot's or asset's, through
    the filters), or one artist's across projects."""

    project_id: int | None = None
    artist_id: int | None = None

    def __post_init__(self):
        if (self.project_id is None) == (self.artist_id is None):
            raise ValidationError("A board shows one project or one artist.")


@dataclass(frozen=True)
class BoardFilters:
    artist_id: int | None = None  # UNASSIGNED (0) for cards with no artist
    task_type: str = ""
    shot_id: int | None = None
    asset_id: int | None = None
    due: str = ""  # "", "overdue", "week"
    text: str = ""

    @classmethod
    def from_query(cls, query: dict[str, Any]) -> BoardFilters:
        """Filters from URL query parameters; a value that makes no sense is ignored, so a
        hand-edited link still opens a board."""

        def number(key: str) -> int | None:
            raw = str(query.get(key) or "").strip()
            if raw == "none":
                return UNASSIGNED
            return int(raw) if raw.isdecimal() else None

        task_type = str(query.get("type") or "").strip().upper()
        due = str(query.get("due") or "").strip().lower()
        return cls(
            artist_id=number("artist"),
            task_type=task_type if task_type.replace("_", "").isalnum() else "",
            shot_id=number("shot") or None,
            asset_id=number("asset") or None,
            due=due if due in DUE_CHOICES else "",
            text=str(query.get("q") or "").strip()[:100],
        )

    def to_query(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.artist_id is not None:
            out["artist"] = "none" if self.artist_id == UNASSIGNED else str(self.artist_id)
        if self.task_type:
            out["type"] = self.task_type
        if self.shot_id:
            out["shot"] = str(self.shot_id)
        if self.asset_id:
            out["asset"] = str(self.asset_id)
        if self.due:
            out["due"] = self.due
        if self.text:
            out["q"] = self.text
        return out

    @property
    def active(self) -> bool:
        return bool(self.to_query())


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Board:
    scope: BoardScope
    title: str
    filters: BoardFilters
    cards: tuple[Card, ...]  # what the filters let through, in column order
    total: int  # cards the viewer may see on this board before filtering
    artists: tuple[Choice, ...] = ()
    types: tuple[Choice, ...] = ()
    parents: tuple[Choice, ...] = ()  # "shot:ID" / "asset:ID"
    counts: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------- rules (one place)


def can_see(viewer: Viewer, card: Card) -> bool:
    if viewer.is_staff:
        return True
    if viewer.role != Role.ARTIST.value:
        return False
    return viewer.id in (card.artist_id, card.supervisor_id) or viewer.id in card.watcher_ids


def can_drag(viewer: Viewer, card: Card) -> bool:
    """Whether the board lets this viewer pick the card up. The move itself is checked again
    by tasks.move; an artist may pick up their own card anywhere and is told why a drop into a
    column they may not use is refused."""
    return viewer.is_staff or (viewer.role == Role.ARTIST.value and card.artist_id == viewer.id)


def in_scope(scope: BoardScope, card: Card) -> bool:
    """A project's board shows its cards, archived or not (it opens by URL); an artist's
    board across projects leaves archived shows out."""
    if scope.project_id is not None:
        return card.project_id == scope.project_id
    return card.artist_id == scope.artist_id and not card.project_archived


def end_of_week(today: date) -> date:
    return today + timedelta(days=6 - today.weekday())


def matches(filters: BoardFilters, card: Card, today: date) -> bool:
    f = filters
    if f.artist_id is not None and (card.artist_id or UNASSIGNED) != f.artist_id:
        return False
    if f.task_type and card.type != f.task_type:
        return False
    if f.shot_id and card.shot_id != f.shot_id:
        return False
    if f.asset_id and card.asset_id != f.asset_id:
        return False
    if f.due == "overdue" and not (
        card.due_date and card.due_date < today and card.status != TaskStatus.DONE.value
    ):
        return False
    if f.due == "week" and not (card.due_date and today <= card.due_date <= end_of_week(today)):
        return False
    if f.text:
        needle = f.text.casefold()
        hay = f"{card.title} {card.parent_code} {card.type} {card.artist_name} {card.project_code}"
        if needle not in hay.casefold():
            return False
    return True


def card_for_board(
    viewer: Viewer, scope: BoardScope, filters: BoardFilters, card: Card, today: date
) -> bool:
    """Whether an open board shows this card (a live change is routed with this)."""
    return can_see(viewer, card) and in_scope(scope, card) and matches(filters, card, today)


# ---------------------------------------------------------------- queries


def _raw(column):
    """The column's stored string rather than its enum: a board converts 1,000s of them."""
    return sa.type_coerce(column, sa.String)


@functools.cache
def _card_query(scope: str, visible_only: bool) -> sa.Select:
    """One statement for the cards of some tasks, whatever their number: the task with its
    project, shot/asset and artist, and (grouped over those tasks only) its watchers, comment
    count, latest version and the last decision on that version.

    Built once per shape, with bound parameters: the tasks of a project (`project_id`), of
    an artist (`artist_id`) or given by id (`ids`), optionally only those an artist may see
    (`viewer_id`). Building and hashing a statement this size costs more than running it."""
    where = [
        {
            "project": Task.project_id == sa.bindparam("project_id"),
            "artist": Task.assigned_artist_id == sa.bindparam("artist_id"),
            "ids": Task.id.in_(sa.bindparam("ids", expanding=True)),
        }[scope]
    ]
    if scope == "artist":
        where.append(projects.not_archived(Task.project_id))
    if visible_only:
        viewer = sa.bindparam("viewer_id")
        watched = select(TaskWatcher.task_id).where(TaskWatcher.user_id == viewer)
        where.append(
            or_(
                Task.assigned_artist_id == viewer,
                Task.assigned_supervisor_id == viewer,
                Task.id.in_(watched),
            )
        )
    ids = select(Task.id).where(*where)
    watchers = (
        select(
            TaskWatcher.task_id,
            func.aggregate_strings(sa.cast(TaskWatcher.user_id, sa.String), ",").label("ids"),
        )
        .where(TaskWatcher.task_id.in_(ids))
        .group_by(TaskWatcher.task_id)
        .subquery("watchers")
    )
    comments = (
        select(Comment.task_id, func.count(Comment.id).label("n"))
        .where(Comment.task_id.in_(ids), Comment.deleted_at.is_(None))
        .group_by(Comment.task_id)
        .subquery("comments")
    )
    newest = (
        select(Version.task_id, func.max(Version.number).label("number"))
        .where(Version.task_id.in_(ids))
        .group_by(Version.task_id)
        .subquery("newest")
    )
    latest = aliased(Version, name="latest")
    # The last decision per version, then that row (joined by id: an "id IN (…)" here makes
    # SQLite probe the list for every card).
    last_decision = (
        select(Approval.version_id, func.max(Approval.id).label("id"))
        .where(Approval.task_id.in_(ids))
        .group_by(Approval.version_id)
        .subquery("last_decision")
    )
    decision = aliased(Approval, name="decision")
    return (
        select(
            Task.id,
            Task.project_id,
            Project.code,
            Task.title,
            Task.type,
            _raw(Task.status),
            Task.sort_order,
            Task.shot_id,
            Task.asset_id,
            func.coalesce(Shot.code, Asset.asset_code, ""),
            Task.assigned_artist_id,
            User.name,
            Task.assigned_supervisor_id,
            watchers.c.ids,
            Task.due_date,
            latest.number,
            comments.c.n,
            _raw(decision.stage),
            _raw(decision.decision),
            latest.thumbnail_key,
            _raw(latest.processing_state),
            latest.id,
            latest.is_client_visible,
            Project.archived_at.is_not(None),
        )
        .select_from(Task)
        .join(Project, Project.id == Task.project_id)
        .outerjoin(Shot, Shot.id == Task.shot_id)
        .outerjoin(Asset, Asset.id == Task.asset_id)
        .outerjoin(User, User.id == Task.assigned_artist_id)
        .outerjoin(watchers, watchers.c.task_id == Task.id)
        .outerjoin(comments, comments.c.task_id == Task.id)
        .outerjoin(newest, newest.c.task_id == Task.id)
        .outerjoin(
            latest, sa.and_(latest.task_id == newest.c.task_id, latest.number == newest.c.number)
        )
        .outerjoin(last_decision, last_decision.c.version_id == latest.id)
        .outerjoin(decision, decision.id == last_decision.c.id)
        .where(*where)
    )


_READY = ProcessingState.READY.value
_APPROVAL_STATES = {
    (ApprovalStage.INTERNAL.value, ApprovalDecision.APPROVED.value): INTERNAL_APPROVED,
    (ApprovalStage.CLIENT.value, ApprovalDecision.APPROVED.value): CLIENT_APPROVED,
    (ApprovalStage.INTERNAL.value, ApprovalDecision.CHANGES_REQUESTED.value): CHANGES_REQUESTED,
    (ApprovalStage.CLIENT.value, ApprovalDecision.CHANGES_REQUESTED.value): CHANGES_REQUESTED,
}


def _cards(session: Session, scope: str, visible_only: bool = False, **params) -> list[Card]:
    """Cards of some tasks (see _card_query), in one query. A card's thumbnail is the latest
    version's once that version is READY (media_access signs it once for every board)."""
    rows = session.connection().execute(_card_query(scope, visible_only), params).all()
    thumbs = media_access.card_thumbnail_urls(
        {r[0]: r[19] for r in rows if r[19] and r[20] == _READY}
    )
    no_thumb = ""
    return [
        Card(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            r[9],
            r[10],
            r[11] or "",
            r[12],
            tuple(sorted(int(w) for w in r[13].split(","))) if r[13] else (),
            r[14],
            r[15] or 0,
            thumbs.get(r[0], no_thumb),
            r[16] or 0,
            _APPROVAL_STATES.get((r[17], r[18]), "") if r[17] else "",
            r[21] or 0,
            r[20] == _READY,
            bool(r[22]),
            bool(r[23]),
        )
        for r in rows
    ]


_STATUS_RANK = {s: i for i, s in enumerate(COLUMNS)}


def column_order(cards: Iterable[Card]) -> list[Card]:
    """Cards in board order: by column, then by position in the column (as tasks.move sorts)."""
    return sorted(cards, key=lambda c: (_STATUS_RANK.get(c.status, 99), c.sort_order, c.id))


def cards_for(session: Session, task_ids: Iterable[int]) -> list[Card]:
    """The current cards of some tasks (deleted ones are simply absent). No permission check:
    this feeds the live push, which decides per open board who receives what."""
    ids = sorted({int(i) for i in task_ids})
    if not ids:
        return []
    return _cards(session, "ids", ids=ids)


def _choices(cards: list[Card]) -> tuple[tuple[Choice, ...], ...]:
    artists = {c.artist_id or UNASSIGNED: c.artist_name or "Unassigned" for c in cards}
    types = sorted({c.type for c in cards})
    parents: dict[str, str] = {}
    multi = len({c.project_id for c in cards}) > 1
    for c in cards:
        key = f"shot:{c.shot_id}" if c.shot_id else f"asset:{c.asset_id}"
        parents[key] = f"{c.project_code} {c.parent_code}" if multi else c.parent_code
    return (
        tuple(
            Choice("none" if k == UNASSIGNED else str(k), v)
            for k, v in sorted(artists.items(), key=lambda kv: (kv[0] == UNASSIGNED, kv[1]))
        ),
        tuple(Choice(t, tasks.type_label(t)) for t in types),
        tuple(Choice(k, v) for k, v in sorted(parents.items(), key=lambda kv: kv[1])),
    )


def build_board(
    session: Session,
    *,
    actor: UserRead,
    scope: BoardScope,
    filters: BoardFilters | None = None,
    today: date | None = None,
) -> Board:
    """The board one viewer opens: the cards they may see in the scope, narrowed by the
    filters, with the choices the filter bar offers and the column counts."""
    permissions.require(actor, "board.view")  # a CLIENT gets no board, not even an empty one
    viewer = Viewer.of(actor)
    filters = filters or BoardFilters()
    today = today or date.today()
    # A non-staff viewer's board holds only the cards they may see (can_see, in SQL).
    only_theirs = {} if viewer.is_staff else {"visible_only": True, "viewer_id": viewer.id}
    if scope.project_id is not None:
        project = access.load_project(session, actor, scope.project_id)
        visible = _cards(session, "project", project_id=project.id, **only_theirs)
        title = project.name
    else:
        if scope.artist_id != actor.id:
            permissions.require(actor, "workload.view_others")
        artist = session.get(User, scope.artist_id)
        if artist is None or artist.role is Role.CLIENT:
            raise NotFound("Artist not found.")
        visible = _cards(session, "artist", artist_id=artist.id, **only_theirs)
        title = artist.name
    matching = [c for c in visible if matches(filters, c, today)] if filters.active else visible
    shown = column_order(matching)
    counts = dict.fromkeys(COLUMNS, 0)
    for c in shown:
        counts[c.status] = counts.get(c.status, 0) + 1
    artists, types, parents = _choices(visible)
    return Board(
        scope=scope,
        title=title,
        filters=filters,
        cards=tuple(shown),
        total=len(visible),
        artists=artists,
        types=types,
        parents=parents,
        counts=counts,
    )


# ---------------------------------------------------------------- the artist picker


@dataclass(frozen=True)
class ArtistPicker:
    """Whose board a lead may open on /tasks/board: the studio's artists (and supervisors,
    and anyone else with work assigned), by name, each with their task count (archived shows
    left out, as on the board); `default_id` is the one to open first (the lead's own board
    when they have tasks, else the first artist with tasks), None when nobody has any."""

    artists: tuple[Choice, ...]
    default_id: int | None


def artist_picker(session: Session, *, actor: UserRead) -> ArtistPicker:
    permissions.require(actor, "workload.view_others")
    counts = (
        select(Task.assigned_artist_id.label("artist_id"), func.count(Task.id).label("n"))
        .where(Task.assigned_artist_id.is_not(None), projects.not_archived(Task.project_id))
        .group_by(Task.assigned_artist_id)
        .subquery("counts")
    )
    n = func.coalesce(counts.c.n, 0)
    rows = session.exec(
        select(User.id, User.name, n)
        .outerjoin(counts, counts.c.artist_id == User.id)
        .where(
            User.is_active,
            User.role != Role.CLIENT,
            or_(User.role.in_([Role.ARTIST, Role.SUPERVISOR]), n > 0),
        )
        .order_by(User.name, User.id)
    ).all()
    busy = [uid for uid, _, tasks_n in rows if tasks_n]
    default = actor.id if actor.id in busy else (busy[0] if busy else None)
    artists = tuple(
        Choice(str(uid), f"{name} ({tasks_n} task{'' if tasks_n == 1 else 's'})")
        for uid, name, tasks_n in rows
    )
    return ArtistPicker(artists=artists, default_id=default)


# ---------------------------------------------------------------- moving a card


def move_card(
    session: Session,
    *,
    actor: UserRead,
    task_id: int,
    status: str,
    after_id: int | None = None,
    before_id: int | None = None,
) -> tasks.TaskMoveRead:
    """A drop on a board. A filtered board shows only part of a column, so the drop is given
    as the neighbours the card landed between (as the person saw them); tasks.move_task finds
    the place in the whole column and applies it (permissions, workflow, sort order). The
    answer is small: the card itself reaches every open board through the live push."""
    return tasks.move_task(
        session,
        actor=actor,
        task_id=task_id,
        status=status,
        after_id=after_id,
        before_id=before_id,
    )


# ---------------------------------------------------------------- wire format


def card_to_wire(card: Card) -> dict[str, Any]:
    """A JSON-safe dict (for Redis pub/sub between processes)."""
    data = asdict(card)
    data["due_date"] = card.due_date.isoformat() if card.due_date else None
    data["watcher_ids"] = list(card.watcher_ids)
    return data


def card_from_wire(data: dict[str, Any]) -> Card:
    due = data.get("due_date")
    return Card(
        **{
            **data,
            "due_date": date.fromisoformat(due) if due else None,
            "watcher_ids": tuple(data.get("watcher_ids") or ()),
        }
    )
