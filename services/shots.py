"""Shots: create, update, list."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from sqlmodel import Session, select

from models import Shot
from models.base import utcnow
from services import access, activity, events, items
from services.errors import Conflict, ValidationError
from services.parsing import clean_code, parse_int
from services.schemas import ShotRead, UserRead

_NUMBERED = re.compile(r"^(?P<prefix>[A-Z_]*?)(?P<number>\d+)$")


def next_code(codes: Iterable[str], *, step: int = 10) -> str:
    """The code a new shot is offered: the next multiple of `step` after the highest number in
    the shot list (SH010…SH080 -> SH090; SH045 -> SH050), with the prefix and the digit count
    most of the list uses; SH010 for a project without numbered shots."""
    found = [m for m in (_NUMBERED.match((c or "").strip().upper()) for c in codes) if m]
    if not found:
        return f"SH{step:03d}"
    prefix = Counter(m["prefix"] for m in found).most_common(1)[0][0]
    same = [m for m in found if m["prefix"] == prefix]
    width = Counter(len(m["number"]) for m in same).most_common(1)[0][0]
    number = (max(int(m["number"]) for m in same) // step + 1) * step
    return f"{prefix}{number:0{width}d}"


def _read(s: Shot, lead_name: str | None) -> ShotRead:
    return ShotRead(
        id=s.id,
        project_id=s.project_id,
        code=s.code,
        name=s.name,
        description=s.description,
        status=s.status.value,
        priority=s.priority.value,
        frame_in=s.frame_in,
        frame_out=s.frame_out,
        due_date=s.due_date,
        lead_id=s.lead_id,
        lead_name=lead_name,
    )


def _apply(session: Session, shot: Shot, fields: dict) -> None:
    if "code" in fields:
        shot.code = clean_code(fields["code"], "Shot code")
    items.apply_common(shot, fields)
    if "frame_in" in fields:
        shot.frame_in = parse_int(fields["frame_in"], "Frame in", minimum=0)
    if "frame_out" in fields:
        shot.frame_out = parse_int(fields["frame_out"], "Frame out", minimum=0)
    if shot.frame_in is not None and shot.frame_out is not None and shot.frame_out < shot.frame_in:
        raise ValidationError("Frame out must not be before frame in.")
    if "lead_id" in fields:
        shot.lead_id = items.lead(session, fields["lead_id"])
    clash = session.exec(
        select(Shot.id).where(
            Shot.project_id == shot.project_id, Shot.code == shot.code, Shot.id != (shot.id or -1)
        )
    ).first()
    if clash:
        raise Conflict(f"Shot {shot.code} already exists in this project.")


def create_shot(
    session: Session, *, actor: UserRead, project_id: int, code: str, **fields
) -> ShotRead:
    access.load_project(session, actor, project_id, "shot.manage")
    shot = Shot(project_id=project_id, code="")
    _apply(session, shot, {"code": code, **fields})
    session.add(shot)
    session.flush()
    activity.record(
        session,
        project_id=project_id,
        actor=actor,
        verb="shot.created",
        target_type="shot",
        target_id=shot.id,
        text=f"{actor.name} added shot {shot.code}",
    )
    events.emit(session, "shot.created", project_id, shot_id=shot.id)
    return get_shot(session, actor=actor, shot_id=shot.id)


def update_shot(session: Session, *, actor: UserRead, shot_id: int, **fields) -> ShotRead:
    shot = access.get_or_404(session, Shot, shot_id, "Shot")
    access.load_project(session, actor, shot.project_id, "shot.manage")
    # No autoflush while the edit is half applied: the duplicate-code check must answer
    # Conflict, not trip the UNIQUE constraint by flushing the new code first.
    with session.no_autoflush:
        _apply(session, shot, fields)
    shot.updated_at = utcnow()
    session.add(shot)
    session.flush()
    events.emit(session, "shot.updated", shot.project_id, shot_id=shot.id)
    return get_shot(session, actor=actor, shot_id=shot.id)


def get_shot(session: Session, *, actor: UserRead, shot_id: int) -> ShotRead:
    shot = access.get_or_404(session, Shot, shot_id, "Shot")
    access.load_project(session, actor, shot.project_id)
    return _read(shot, access.user_names(session, [shot.lead_id]).get(shot.lead_id))


def list_shots(session: Session, *, actor: UserRead, project_id: int) -> list[ShotRead]:
    access.load_project(session, actor, project_id)
    shots = session.exec(
        select(Shot).where(Shot.project_id == project_id).order_by(Shot.code)
    ).all()
    names = access.user_names(session, [s.lead_id for s in shots])
    return [_read(s, names.get(s.lead_id)) for s in shots]
