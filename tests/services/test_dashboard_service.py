"""The dashboard's widgets: right tasks in each, scoped by role and by project."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from feedback_app import routes
from services import dashboard, reviews, tasks, workload
from services.errors import PermissionDenied
from tests.factories import (
    enter_as_guest,
    make_production,
    make_project,
    make_shot,
    make_task,
    make_version,
    share_version,
)

TODAY = date(2026, 11, 26)


def _ids(rows):
    return {r.id for r in rows}


@pytest.fixture
def board(uow, prod):
    """Tasks for the artist: due today, overdue, in review, done-and-late, and one for another
    artist; plus an upload and feedback."""
    with uow() as s:
        p = prod
        mk = lambda **kw: make_task(s, p.producer, shot_id=p.shot.id, **kw)  # noqa: E731
        due_today = mk(type="ROTO", assigned_artist_id=p.artist.id, due_date=TODAY)
        overdue = mk(
            type="TRACK", assigned_artist_id=p.artist.id, due_date=TODAY - timedelta(days=2)
        )
        done_late = mk(type="KEY", assigned_artist_id=p.artist.id, due_date=TODAY - timedelta(3))
        tasks.move(s, actor=p.producer, task_id=done_late.id, status="DONE")
        other = mk(type="FX", assigned_artist_id=p.other_artist.id, due_date=TODAY)
        v = make_version(s, p.artist, p.task.id)  # moves the COMP task to INTERNAL_REVIEW
        reviews.add_comment(s, actor=p.supervisor, version_id=v.id, body="Edges too crisp")
        reviews.record_approval(
            s, actor=p.supervisor, version_id=v.id, decision="CHANGES_REQUESTED", note="soften"
        )
        make_version(s, p.artist, p.task.id)  # back in review with v002
    return {"due_today": due_today, "overdue": overdue, "done_late": done_late, "other": other}


def test_staff_see_the_studio(uow, prod, board):
    with uow() as s:
        d = dashboard.dashboard(s, actor=prod.producer, today=TODAY)
    assert _ids(d.due_today) == {board["due_today"].id, board["other"].id}
    assert _ids(d.overdue) == {board["overdue"].id}
    assert _ids(d.in_review) == {prod.task.id}
    assert [u.title.split()[-1] for u in d.uploads] == ["v002", "v001"]
    kinds = [(f.kind, f.who) for f in d.feedback]
    assert ("comment", prod.supervisor.name) in kinds
    assert ("approval", prod.supervisor.name) in kinds


def test_done_tasks_are_never_overdue_or_due(uow, prod, board):
    with uow() as s:
        d = dashboard.dashboard(s, actor=prod.producer, today=TODAY)
    assert board["done_late"].id not in _ids(d.overdue) | _ids(d.due_today)


def test_artist_sees_only_their_own_work(uow, prod, board):
    with uow() as s:
        d = dashboard.dashboard(s, actor=prod.artist, today=TODAY)
    assert _ids(d.due_today) == {board["due_today"].id}
    assert board["other"].id not in _ids(d.due_today)
    assert [b.name for b in d.workload] == [prod.artist.name]


def test_workload_counts_open_tasks_by_status_with_overdue(uow, prod, board):
    with uow() as s:
        d = dashboard.dashboard(s, actor=prod.producer, today=TODAY)
    bars = {b.name: b for b in d.workload}
    mine = bars[prod.artist.name]
    assert mine.counts == {"TODO": 2, "INTERNAL_REVIEW": 1}
    assert mine.total == 3
    assert mine.overdue == 1
    assert bars[prod.other_artist.name].counts == {"TODO": 1}


def test_one_project_scope_leaves_other_projects_out(uow, prod, board):
    with uow() as s:
        other = make_project(s, prod.producer)
        shot = make_shot(s, prod.producer, other.id)
        elsewhere = make_task(s, prod.producer, shot_id=shot.id, type="COMP", due_date=TODAY)
        d_all = dashboard.dashboard(s, actor=prod.producer, today=TODAY)
        d_one = dashboard.dashboard(s, actor=prod.producer, project_id=prod.project.id, today=TODAY)
    assert elsewhere.id in _ids(d_all.due_today)
    assert elsewhere.id not in _ids(d_one.due_today)


def test_client_has_no_dashboard(uow, prod):
    with pytest.raises(PermissionDenied), uow() as s:
        dashboard.dashboard(s, actor=prod.client, today=TODAY)


def test_client_decisions_name_the_person_and_say_client(uow):
    with uow() as s:
        p = make_production(s)
        v = make_version(s, p.artist, p.task.id)
        share_version(s, p.supervisor, v.id)
        reviews.record_approval(s, actor=p.client, version_id=v.id, decision="APPROVED")
        d = dashboard.dashboard(s, actor=p.producer, today=TODAY)
    decision = next(f for f in d.feedback if f.kind == "approval")
    assert (decision.who, decision.is_client, decision.text) == (p.client.name, True, "approved")


def test_a_link_guests_comment_and_decision_carry_the_same_name(uow):
    with uow() as s:
        p = make_production(s)
        v = make_version(s, p.artist, p.task.id)
        guest = enter_as_guest(s, share_version(s, p.supervisor, v.id).link, "Jordan (Harbor)")
    with uow() as s:
        reviews.add_comment(s, actor=guest, version_id=v.id, body="warmer")
        reviews.record_approval(
            s, actor=guest, version_id=v.id, decision="CHANGES_REQUESTED", note="warmer"
        )
        d = dashboard.dashboard(s, actor=p.producer, today=TODAY)
    assert {(f.kind, f.who, f.is_client) for f in d.feedback} == {
        ("comment", "Jordan (Harbor)", True),
        ("approval", "Jordan (Harbor)", True),
    }


def test_task_lines_uploads_and_feedback_name_their_project(uow):
    """Two shows both have an SH010: the dashboard that spans them says whose each line is."""
    with uow() as s:
        a = make_production(s, shot_code="SH010")
        b = make_production(s, shot_code="SH010")
        for p in (a, b):
            tasks.set_due_date(s, actor=p.producer, task_id=p.task.id, due_date=TODAY)
            v = make_version(s, p.artist, p.task.id)
            reviews.add_comment(s, actor=p.supervisor, version_id=v.id, body="ok")
        d = dashboard.dashboard(s, actor=a.admin, today=TODAY)
    codes = {a.task.id: a.project.code, b.task.id: b.project.code}
    assert {(t.id, t.project_code) for t in d.due_today} == set(codes.items())
    assert {(u.task_id, u.project_code) for u in d.uploads} == set(codes.items())
    assert {(f.task_id, f.project_code) for f in d.feedback} == set(codes.items())
    assert {u.title for u in d.uploads} == {"SH010 COMP v001"}


def test_long_lists_show_the_most_overdue_first_and_count_them_all(uow, prod, monkeypatch):
    monkeypatch.setattr(dashboard, "LIST_MAX", 5)
    with uow() as s:
        late = [
            make_task(
                s,
                prod.producer,
                shot_id=prod.shot.id,
                type="GENERAL",
                title=f"late {n}",
                due_date=TODAY - timedelta(days=n),
            )
            for n in range(1, 8)
        ]
        for _ in range(6):
            make_task(s, prod.producer, shot_id=prod.shot.id, type="GENERAL", due_date=TODAY)
    with uow() as s:
        d = dashboard.dashboard(s, actor=prod.producer, today=TODAY)
    assert [t.id for t in d.overdue] == [t.id for t in reversed(late)][:5]
    assert (d.overdue_total, d.due_today_total) == (7, 6)
    assert len(d.due_today) == 5


def test_work_on_done_tasks_still_shows_in_uploads_and_feedback(uow, prod):
    with uow() as s:
        v = make_version(s, prod.artist, prod.task.id)
        reviews.add_comment(s, actor=prod.supervisor, version_id=v.id, body="Lovely")
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status="DONE")
    with uow() as s:
        d = dashboard.dashboard(s, actor=prod.producer, today=TODAY)
    assert [u.version_id for u in d.uploads] == [v.id]
    assert d.uploads[0].title.endswith("COMP v001")
    assert [f.text for f in d.feedback] == ["Lovely"]


@pytest.mark.parametrize(
    ("who", "one_project"),
    [("producer", False), ("producer", True), ("supervisor", True), ("artist", False)],
)
def test_view_all_lists_exactly_what_the_in_review_and_overdue_widgets_count(
    uow, prod, who, one_project
):
    """ "View all" opened staff's Internal Review of every project where the list counted
    Internal and Client Review of the dashboard's project; an artist's list also counted the
    tasks they only watch, which their /tasks views leave out."""
    late = TODAY - timedelta(days=1)
    with uow() as s:
        p = prod
        mk = lambda **kw: make_task(s, p.producer, shot_id=p.shot.id, **kw)  # noqa: E731
        statuses = {
            p.task.id: "INTERNAL_REVIEW",
            mk(assigned_artist_id=p.artist.id, due_date=late).id: "CLIENT_REVIEW",
            mk(type="ROTO", due_date=late).id: "INTERNAL_REVIEW",  # nobody's
            mk(type="FX", assigned_artist_id=p.other_artist.id, due_date=late).id: "TODO",
        }
        watched = mk(type="KEY", assigned_artist_id=p.other_artist.id, due_date=late)
        statuses[watched.id] = "CLIENT_REVIEW"
        tasks.set_watchers(s, actor=p.producer, task_id=watched.id, user_ids=[p.artist.id])
        elsewhere = make_task(s, p.producer, assigned_artist_id=p.artist.id, due_date=late)
        statuses[elsewhere.id] = "CLIENT_REVIEW"
        for task_id, status in statuses.items():
            tasks.move(s, actor=p.producer, task_id=task_id, status=status)
    actor = getattr(prod, who)
    with uow() as s:
        d = dashboard.dashboard(
            s, actor=actor, project_id=prod.project.id if one_project else None, today=TODAY
        )
        shown = {}
        for view in ("review", "overdue"):
            q = parse_qs(urlsplit(routes.tasks_view(view, d.tasks_scope, d.project_id)).query)
            w = workload.workload(
                s,
                actor=actor,
                view=q["view"][0],
                scope=q["scope"][0],
                project_id=int(q["project"][0]) if "project" in q else None,
                today=TODAY,
            )
            shown[view] = {t.id for t in w.tasks}
    assert shown["review"] == _ids(d.in_review)
    assert len(shown["review"]) == d.in_review_total > 0
    assert shown["overdue"] == _ids(d.overdue)
    assert len(shown["overdue"]) == d.overdue_total > 0
    assert (elsewhere.id in shown["review"]) is (not one_project)
    assert (watched.id in shown["review"]) is (who != "artist")
