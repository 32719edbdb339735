"""Drawings on a frame of a version (pen, arrow, rectangle, text), saved with their comment.

Shapes are vectors in normalised coordinates (0..1 of the picture's width and height), so a
drawing lands on the same spot whatever size the player has. The frame is the 0-based index of
the frame in the clip, like a comment's; the page shows it as project start frame + index.

    {"t": "pen",   "c": "#ff3b30", "w": 0.004, "p": [[x, y], ...]}   freehand, 2+ points
    {"t": "arrow", "c": "#ffcc00", "w": 0.004, "p": [[x1, y1], [x2, y2]]}   tail → head
    {"t": "rect",  "c": "#34c759", "w": 0.004, "p": [[x1, y1], [x2, y2]]}   two corners
    {"t": "text",  "c": "#ffffff", "p": [[x, y]], "s": "too bright"}   top-left of the text

Who may draw is who may comment (services.reviews.add_comment): studio users who see the task,
internally; a client only on a version shared with them. Who may see a drawing is who may see
its comment: a client never sees one attached to an internal comment.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from sqlmodel import Session, select

from models import Annotation, Comment, CommentVisibility, User
from services import access, reviews
from services.errors import ValidationError
from services.schemas import AnnotationRead, UserRead

KINDS = ("pen", "arrow", "rect", "text")
MAX_SHAPES = 100
MAX_POINTS = 2000  # one freehand stroke
MAX_TOTAL_POINTS = 20_000
MAX_TEXT = 200
MAX_WIDTH = 0.05
DEFAULT_WIDTH = 0.004
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_POINTS = {"arrow": 2, "rect": 2, "text": 1}


def _number(value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(f"The drawing has a bad {what}.")
    return float(value)


def _point(raw) -> list[float]:
    if not isinstance(raw, list | tuple) or len(raw) != 2:
        raise ValidationError("The drawing has a bad point.")
    x, y = (_number(v, "point") for v in raw)
    if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
        raise ValidationError("The drawing goes outside the picture.")
    return [round(x, 5), round(y, 5)]


def clean_shapes(shapes) -> list[dict]:
    """The shapes as stored: known kinds and keys only, coordinates checked and rounded.
    Raises ValidationError with a message for the reviewer."""
    if shapes is None:
        return []
    if not isinstance(shapes, list | tuple):
        raise ValidationError("The drawing is not a list of shapes.")
    if len(shapes) > MAX_SHAPES:
        raise ValidationError(f"A drawing has at most {MAX_SHAPES} shapes.")
    out, total = [], 0
    for raw in shapes:
        if not isinstance(raw, dict) or raw.get("t") not in KINDS:
            raise ValidationError("The drawing has a shape of an unknown kind.")
        kind = raw["t"]
        colour = raw.get("c", "#ff3b30")
        if not isinstance(colour, str) or not _COLOUR.match(colour):
            raise ValidationError("The drawing has a bad colour.")
        points = raw.get("p")
        if not isinstance(points, list | tuple) or not points:
            raise ValidationError("The drawing has a shape without points.")
        if kind == "pen" and not 2 <= len(points) <= MAX_POINTS:
            raise ValidationError(f"A stroke has 2 to {MAX_POINTS} points.")
        if kind != "pen" and len(points) != _POINTS[kind]:
            raise ValidationError("The drawing has a shape with the wrong number of points.")
        total += len(points)
        if total > MAX_TOTAL_POINTS:
            raise ValidationError("The drawing is too detailed; simplify it.")
        shape = {"t": kind, "c": colour.lower(), "p": [_point(p) for p in points]}
        if kind == "text":
            text = raw.get("s")
            if not isinstance(text, str) or not text.strip():
                raise ValidationError("A text shape needs some text.")
            if len(text) > MAX_TEXT:
                raise ValidationError(f"A text shape has at most {MAX_TEXT} characters.")
            shape["s"] = text.strip()
        else:
            width = _number(raw.get("w", DEFAULT_WIDTH), "line width")
            if not 0 < width <= MAX_WIDTH:
                raise ValidationError("The drawing has a bad line width.")
            shape["w"] = round(width, 5)
        out.append(shape)
    return out


def add_comment(
    session: Session,
    *,
    actor: UserRead,
    version_id: int,
    body: str,
    frame: int | None = None,
    shapes=None,
    client_visible: bool = False,
    parent_id: int | None = None,
) -> int:
    """A comment on a version, at a frame or on the whole version, with the shapes drawn on
    that frame (if any) saved with it in the same transaction. Returns the comment's id."""
    cleaned = clean_shapes(shapes)
    version = access.load_version(session, actor, version_id)
    if frame is not None and version.frame_count and frame >= version.frame_count:
        raise ValidationError(f"This version has {version.frame_count} frames; pick one of them.")
    if cleaned and frame is None:
        raise ValidationError("A drawing belongs to a frame: comment at that frame.")
    comment_id = reviews.add_comment(
        session,
        actor=actor,
        version_id=version_id,
        body=body,
        frame=frame,
        client_visible=client_visible,
        parent_id=parent_id,
    )
    if cleaned:
        session.add(
            Annotation(
                version_id=version.id,
                comment_id=comment_id,
                author_id=actor.id,
                frame=frame,
                shapes=cleaned,
            )
        )
        session.flush()
    return comment_id


def _visible_to(actor: UserRead, query):
    if actor.role == "CLIENT":
        return query.where(Comment.visibility == CommentVisibility.CLIENT)
    return query


def list_for_version(session: Session, *, actor: UserRead, version_id: int) -> list[AnnotationRead]:
    """The drawings on a version the actor may see, by frame then age."""
    version = access.load_version(session, actor, version_id)
    q = (
        select(Annotation, User.name)
        .join(Comment, Comment.id == Annotation.comment_id, isouter=actor.role != "CLIENT")
        .join(User, User.id == Annotation.author_id, isouter=True)
        .where(Annotation.version_id == version.id)
        .order_by(Annotation.frame, Annotation.created_at, Annotation.id)
    )
    return [_read(a, name) for a, name in session.exec(_visible_to(actor, q)).all()]


def shapes_by_comment(session: Session, comment_ids: Iterable[int]) -> dict[int, tuple[dict, ...]]:
    """The shapes saved with each of these comments (already permission-checked by the caller)."""
    ids = list(comment_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(Annotation.comment_id, Annotation.shapes).where(Annotation.comment_id.in_(ids))
    ).all()
    return {cid: tuple(shapes or ()) for cid, shapes in rows}


def _read(a: Annotation, author: str | None) -> AnnotationRead:
    return AnnotationRead(
        id=a.id,
        version_id=a.version_id,
        comment_id=a.comment_id,
        frame=a.frame,
        shapes=tuple(a.shapes or ()),
        author_name=author or "",
        created_at=a.created_at,
    )
