"""Drawings on a frame: saved with their comment in one transaction, checked shape by shape,
seen by whoever may see their comment (a client: only on shared versions, only drawings on
comments meant for clients)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import select

from models import Annotation, Comment, Version
from services import annotations
from services.errors import NotFound, PermissionDenied, ValidationError
from tests.factories import make_version

BOX = {"t": "rect", "c": "#FF3B30", "w": 0.004, "p": [[0.1, 0.2], [0.5, 0.6]]}
PEN = {"t": "pen", "c": "#34c759", "p": [[0.1, 0.1], [0.2, 0.25], [0.3, 0.2]]}
ARROW = {"t": "arrow", "c": "#ffcc00", "w": 0.01, "p": [[0.9, 0.9], [0.6, 0.5]]}
TEXT = {"t": "text", "c": "#ffffff", "p": [[0.05, 0.05]], "s": "  too bright  "}


@pytest.fixture
def version(uow, prod):
    with uow() as s:
        v = make_version(s, prod.artist, prod.task.id)
        row = s.get(Version, v.id)
        row.frame_count = 48  # what the media pipeline found
        s.add(row)
    return v


def rows(uow, model):
    with uow() as s:
        return s.exec(select(model)).all()


def test_a_comment_and_its_drawing_are_saved_together(uow, prod, version, delivered):
    with uow() as s:
        comment_id = annotations.add_comment(
            s,
            actor=prod.supervisor,
            version_id=version.id,
            body="Roto edge chatters here",
            frame=12,
            shapes=[BOX, PEN, ARROW, TEXT],
        )
    [a] = rows(uow, Annotation)
    assert (a.comment_id, a.version_id, a.frame, a.author_id) == (
        comment_id,
        version.id,
        12,
        prod.supervisor.id,
    )
    assert [sh["t"] for sh in a.shapes] == ["rect", "pen", "arrow", "text"]
    assert a.shapes[0]["c"] == "#ff3b30"  # colours stored lower case
    assert a.shapes[3] == {"t": "text", "c": "#ffffff", "p": [[0.05, 0.05]], "s": "too bright"}
    assert "w" not in a.shapes[3]
    assert a.shapes[1]["w"] == annotations.DEFAULT_WIDTH
    with uow() as s:
        assert s.get(Comment, comment_id).frame == 12
    assert [e.name for e in delivered] == ["comment.added"]


def test_a_comment_without_a_drawing_saves_no_annotation(uow, prod, version):
    with uow() as s:
        annotations.add_comment(s, actor=prod.artist, version_id=version.id, body="ok", frame=3)
        annotations.add_comment(s, actor=prod.artist, version_id=version.id, body="all of it")
    assert rows(uow, Annotation) == []
    assert len(rows(uow, Comment)) == 2


def test_coordinates_are_rounded_and_unknown_keys_dropped(uow, prod, version):
    shape = {"t": "arrow", "c": "#0a84ff", "p": [[0.1234567, 0.5], [1, 0]], "evil": "<script>"}
    with uow() as s:
        annotations.add_comment(
            s, actor=prod.supervisor, version_id=version.id, body="x", frame=0, shapes=[shape]
        )
    [a] = rows(uow, Annotation)
    assert a.shapes == [
        {"t": "arrow", "c": "#0a84ff", "p": [[0.12346, 0.5], [1.0, 0.0]], "w": 0.004}
    ]


@pytest.mark.parametrize(
    ("shapes", "message"),
    [
        ("not a list", "The drawing is not a list of shapes."),
        ([{"t": "circle", "p": [[0, 0]]}], "The drawing has a shape of an unknown kind."),
        ([{**BOX, "c": "red"}], "The drawing has a bad colour."),
        ([{**BOX, "p": [[0.1, 0.2], [1.2, 0.5]]}], "The drawing goes outside the picture."),
        ([{**BOX, "p": [[0.1, 0.2], [float("nan"), 0.5]]}], "The drawing has a bad point."),
        ([{**BOX, "p": [[0.1, 0.2], [True, 0.5]]}], "The drawing has a bad point."),
        ([{**BOX, "p": [[0.1, 0.2]]}], "The drawing has a shape with the wrong number of points."),
        ([{**PEN, "p": [[0.1, 0.1]]}], "A stroke has 2 to 2000 points."),
        ([{**PEN, "p": [[0.1, 0.1]] * 2001}], "A stroke has 2 to 2000 points."),
        ([{**TEXT, "s": "   "}], "A text shape needs some text."),
        ([{**TEXT, "s": "x" * 201}], "A text shape has at most 200 characters."),
        ([{**BOX, "w": 0.5}], "The drawing has a bad line width."),
        ([BOX] * 101, "A drawing has at most 100 shapes."),
        ([{**PEN, "p": [[0.1, 0.1]] * 2000}] * 11, "The drawing is too detailed; simplify it."),
    ],
)
def test_a_bad_drawing_is_refused_and_saves_nothing(uow, prod, version, shapes, message):
    with uow() as s, pytest.raises(ValidationError, match="^" + message.replace(".", r"\.")):
        annotations.add_comment(
            s, actor=prod.supervisor, version_id=version.id, body="x", frame=1, shapes=shapes
        )
    assert rows(uow, Comment) == []
    assert rows(uow, Annotation) == []


def test_a_refused_comment_saves_no_drawing(uow, prod, version):
    with uow() as s, pytest.raises(ValidationError, match="Write something first"):
        annotations.add_comment(
            s, actor=prod.supervisor, version_id=version.id, body="  ", frame=1, shapes=[BOX]
        )
    assert rows(uow, Annotation) == []


def test_a_drawing_belongs_to_a_frame(uow, prod, version):
    with uow() as s, pytest.raises(ValidationError, match="A drawing belongs to a frame"):
        annotations.add_comment(
            s, actor=prod.supervisor, version_id=version.id, body="x", shapes=[BOX]
        )


def test_a_frame_past_the_end_of_the_version_is_refused(uow, prod, version):
    with uow() as s, pytest.raises(ValidationError, match="This version has 48 frames"):
        annotations.add_comment(
            s, actor=prod.supervisor, version_id=version.id, body="x", frame=48, shapes=[BOX]
        )
    with uow() as s:  # the last one is fine
        annotations.add_comment(
            s, actor=prod.supervisor, version_id=version.id, body="x", frame=47, shapes=[BOX]
        )


def test_artist_not_on_the_task_cannot_draw(uow, prod, version):
    with uow() as s, pytest.raises(PermissionDenied):
        annotations.add_comment(
            s, actor=prod.other_artist, version_id=version.id, body="x", frame=1, shapes=[BOX]
        )
    assert rows(uow, Annotation) == []


def test_client_cannot_draw_on_an_unshared_version(uow, prod, version):
    with uow() as s, pytest.raises(NotFound):
        annotations.add_comment(
            s, actor=prod.client, version_id=version.id, body="x", frame=1, shapes=[BOX]
        )
    assert rows(uow, Annotation) == []


def test_client_draws_on_a_shared_version_for_the_studio_to_see(uow, prod, shared):
    with uow() as s:
        comment_id = annotations.add_comment(
            s, actor=prod.client, version_id=shared.id, body="lose this", frame=5, shapes=[BOX]
        )
    with uow() as s:
        assert s.get(Comment, comment_id).visibility.value == "CLIENT"
        [seen] = annotations.list_for_version(s, actor=prod.supervisor, version_id=shared.id)
    assert (seen.comment_id, seen.frame, seen.author_name) == (comment_id, 5, prod.client.name)


def test_studio_sees_every_drawing_by_frame(uow, prod, version):
    with uow() as s:
        later = annotations.add_comment(
            s, actor=prod.supervisor, version_id=version.id, body="b", frame=30, shapes=[BOX]
        )
        earlier = annotations.add_comment(
            s, actor=prod.artist, version_id=version.id, body="a", frame=2, shapes=[PEN]
        )
    for viewer in (prod.producer, prod.supervisor, prod.artist):
        with uow() as s:
            found = annotations.list_for_version(s, actor=viewer, version_id=version.id)
        assert [(a.comment_id, a.frame) for a in found] == [(earlier, 2), (later, 30)]
        assert found[0].shapes[0]["t"] == "pen"


def test_client_sees_only_drawings_on_comments_meant_for_clients(uow, prod, shared):
    with uow() as s:
        annotations.add_comment(
            s, actor=prod.supervisor, version_id=shared.id, body="internal", frame=1, shapes=[BOX]
        )
        for_client = annotations.add_comment(
            s,
            actor=prod.supervisor,
            version_id=shared.id,
            body="we will fix this",
            frame=2,
            shapes=[ARROW],
            client_visible=True,
        )
    with uow() as s:
        seen = annotations.list_for_version(s, actor=prod.client, version_id=shared.id)
    assert [a.comment_id for a in seen] == [for_client]


def test_nobody_outside_the_task_lists_its_drawings(uow, prod, version):
    with uow() as s, pytest.raises(PermissionDenied):
        annotations.list_for_version(s, actor=prod.other_artist, version_id=version.id)
    with uow() as s, pytest.raises(NotFound):
        annotations.list_for_version(s, actor=prod.client, version_id=version.id)


def test_the_database_holds_one_drawing_per_comment_and_no_negative_frame(uow, prod, version):
    with uow() as s:
        comment_id = annotations.add_comment(
            s, actor=prod.supervisor, version_id=version.id, body="x", frame=1, shapes=[BOX]
        )
    with pytest.raises(sa.exc.IntegrityError), uow() as s:
        s.add(Annotation(version_id=version.id, comment_id=comment_id, frame=1, shapes=[BOX]))
    with pytest.raises(sa.exc.IntegrityError), uow() as s:
        s.add(Annotation(version_id=version.id, frame=-1, shapes=[BOX]))


def test_deleting_the_comment_deletes_its_drawing(uow, prod, version):
    with uow() as s:
        comment_id = annotations.add_comment(
            s, actor=prod.supervisor, version_id=version.id, body="x", frame=1, shapes=[BOX]
        )
    with uow() as s:
        s.delete(s.get(Comment, comment_id))
    assert rows(uow, Annotation) == []
