"""The kanban board: its cards built for one viewer in a fixed handful of queries, the filters
that narrow it, and the rules that say which card a viewer sees and may drag.

The same predicates decide what a board shows when it loads (`build_board`) and what a live
change does to an open board (the app's live hub calls `card_for_board`), so a card never
appears live on a board that would not have shown it on reload.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, func, or_, select

from models import (
    Approval,
    ApprovalDecision,
    ApprovalStage,
    Asset,
    Comment,
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
from services import access, permissions, tasks
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
    # Filled by the media issue (signed URL of the latest version's thumbnail); empty for now.
    thumbnail_url: str
    comment_count: int
    approval: str  # "", INTERNAL_APPROVED, CLIENT_APPROVED or CHANGES_REQUESTED


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
            return int(raw) if raw.isdigit() else None

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
    if scope.project_id is not None:
        return card.project_id == scope.project_id
    return card.artist_id == scope.artist_id


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


_CARD_COLUMNS = (
    Task.id,
    Task.project_id,
    Project.code,
    Task.title,
    Task.type,
    Task.status,
    Task.sort_order,
    Task.shot_id,
    Task.asset_id,
    Shot.code,
    Asset.asset_code,
    Task.assigned_artist_id,
    User.name,
    Task.assigned_supervisor_id,
    Task.due_date,
)
# Up to this many tasks, a card's facts are read in the same query as the task (correlated
# subqueries: the live push reads one or a few cards per commit); above, one grouped query
# per fact (a whole board).
FEW = 20


def _with_joins(q):
    return (
        q.join(Project, Project.id == Task.project_id)
        .outerjoin(Shot, Shot.id == Task.shot_id)
        .outerjoin(Asset, Asset.id == Task.asset_id)
        .outerjoin(User, User.id == Task.assigned_artist_id)
    )


def _card(r, watchers: dict[int, list[int]], comments: int, number: int, approval: str) -> Card:
    return Card(
        id=r[0],
        project_id=r[1],
        project_code=r[2],
        title=r[3],
        type=r[4],
        status=r[5].value,
        sort_order=r[6],
        shot_id=r[7],
        asset_id=r[8],
        parent_code=r[9] or r[10] or "",
        artist_id=r[11],
        artist_name=r[12] or "",
        supervisor_id=r[13],
        watcher_ids=tuple(sorted(w)) if (w := watchers.get(r[0])) else (),
        due_date=r[14],
        version_number=number or 0,
        thumbnail_url="",
        comment_count=comments or 0,
        approval=approval,
    )


def _watchers(session: Session, ids) -> dict[int, list[int]]:
    watchers: dict[int, list[int]] = {}
    for task_id, user_id in session.exec(
        select(TaskWatcher.task_id, TaskWatcher.user_id).where(TaskWatcher.task_id.in_(ids))
    ).all():
        watchers.setdefault(task_id, []).append(user_id)
    return watchers


def _few_cards(session: Session, ids: list[int]) -> list[Card]:
    """Cards of a few tasks in two queries."""
    latest = (
        select(Version.id)
        .where(Version.task_id == Task.id)
        .order_by(Version.number.desc())
        .limit(1)
        .correlate(Task)
        .scalar_subquery()
    )

    def last_decision(column):
        return (
            select(column)
            .where(Approval.version_id == latest)
            .order_by(Approval.id.desc())
            .limit(1)
            .correlate(Task)
            .scalar_subquery()
        )

    rows = session.exec(
        _with_joins(
            select(
                *_CARD_COLUMNS,
                select(func.count(Comment.id))
                .where(Comment.task_id == Task.id)
                .correlate(Task)
                .scalar_subquery(),
                select(func.max(Version.number))
                .where(Version.task_id == Task.id)
                .correlate(Task)
                .scalar_subquery(),
                last_decision(Approval.stage),
                last_decision(Approval.decision),
            )
        ).where(Task.id.in_(ids))
    ).all()
    watchers = _watchers(session, ids) if rows else {}
    n = len(_CARD_COLUMNS)
    return [
        _card(
            r,
            watchers,
            r[n],
            r[n + 1],
            _approval_state(ApprovalStage(r[n + 2]), ApprovalDecision(r[n + 3]))
            if r[n + 2] is not None
            else "",
        )
        for r in rows
    ]


def _cards(session: Session, where: list) -> list[Card]:
    """Cards of the tasks matching `where`: six queries whatever the number of tasks."""
    ids = select(Task.id).where(*where)
    rows = session.exec(_with_joins(select(*_CARD_COLUMNS)).where(*where)).all()
    if not rows:
        return []
    comments = dict(
        session.exec(
            select(Comment.task_id, func.count(Comment.id))
            .where(Comment.task_id.in_(ids))
            .group_by(Comment.task_id)
        ).all()
    )
    newest = (
        select(Version.task_id, func.max(Version.number).label("number"))
        .where(Version.task_id.in_(ids))
        .group_by(Version.task_id)
        .subquery()
    )
    latest = {
        task_id: (version_id, number)
        for task_id, version_id, number in session.exec(
            select(Version.task_id, Version.id, Version.number).join(
                newest,
                sa.and_(Version.task_id == newest.c.task_id, Version.number == newest.c.number),
            )
        ).all()
    }
    last_decision = (
        select(func.max(Approval.id)).where(Approval.task_id.in_(ids)).group_by(Approval.version_id)
    )
    decisions = {
        version_id: _approval_state(stage, decision)
        for version_id, stage, decision in session.exec(
            select(Approval.version_id, Approval.stage, Approval.decision).where(
                Approval.id.in_(last_decision)
            )
        ).all()
    }
    watchers = _watchers(session, ids)
    cards = []
    for r in rows:
        version_id, number = latest.get(r[0], (None, 0))
        approval = decisions.get(version_id, "") if version_id else ""
        cards.append(_card(r, watchers, comments.get(r[0], 0), number, approval))
    return cards


def _approval_state(stage: ApprovalStage, decision: ApprovalDecision) -> str:
    if decision is ApprovalDecision.CHANGES_REQUESTED:
        return CHANGES_REQUESTED
    return CLIENT_APPROVED if stage is ApprovalStage.CLIENT else INTERNAL_APPROVED


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
    return _few_cards(session, ids) if len(ids) <= FEW else _cards(session, [Task.id.in_(ids)])


def _visible_where(viewer: Viewer) -> list:
    if viewer.is_staff:
        return []
    watched = select(TaskWatcher.task_id).where(TaskWatcher.user_id == viewer.id)
    return [
        or_(
            Task.assigned_artist_id == viewer.id,
            Task.assigned_supervisor_id == viewer.id,
            Task.id.in_(watched),
        )
    ]


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
    where = _visible_where(viewer)
    if scope.project_id is not None:
        project = access.load_project(session, actor, scope.project_id)
        where.append(Task.project_id == project.id)
        title = project.name
    else:
        if scope.artist_id != actor.id:
            permissions.require(actor, "workload.view_others")
        artist = session.get(User, scope.artist_id)
        if artist is None or artist.role is Role.CLIENT:
            raise NotFound("Artist not found.")
        where.append(Task.assigned_artist_id == artist.id)
        title = artist.name
    visible = _cards(session, where)
    shown = column_order(c for c in visible if matches(filters, c, today))
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
