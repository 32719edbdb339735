from __future__ import annotations

from datetime import date, timedelta

import pytest

from models import Task
from services import dashboard, tasks, workload
from services.errors import PermissionDenied, ValidationError
from tests.factories import make_task, make_user

WEDNESDAY = date(2026, 3, 4)
SUNDAY = date(2026, 3, 8)


def day(offset: int) -> date:
    return WEDNESDAY + timedelta(days=offset)


def view(s, actor, v="mine", scope="me", today=WEDNESDAY, **kw) -> workload.Workload:
    return workload.workload(s, actor=actor, view=v, scope=scope, today=today, **kw)


def ids(w: workload.Workload) -> list[int]:
    return [t.id for t in w.tasks]


@pytest.fixture
def week(uow, prod):
    """The artist's tasks around WEDNESDAY, keyed by when they are due; prod.task is undated."""
    with uow() as s:

        def task(due, **fields):
            fields.setdefault("assigned_artist_id", prod.artist.id)
            return make_task(s, prod.producer, shot_id=prod.shot.id, due_date=due, **fields).id

        made = {
            "last_week": task(day(-7)),
            "yesterday": task(day(-1)),
            "today": task(day(0)),
            "sunday": task(SUNDAY),
            "next_monday": task(SUNDAY + timedelta(days=1)),
            "done_overdue": task(day(-2)),
            "someone_elses": task(day(0), assigned_artist_id=prod.other_artist.id),
        }
        tasks.move(s, actor=prod.producer, task_id=made["done_overdue"], status="DONE")
    return made


# ---------------------------------------------------------------- the views


def test_my_tasks_are_my_open_tasks_due_first_undated_last(uow, prod, week):
    with uow() as s:
        w = view(s, prod.artist)
    assert (w.view, w.scope) == ("mine", "me")
    assert ids(w) == [
        week["last_week"],
        week["yesterday"],
        week["today"],
        week["sunday"],
        week["next_monday"],
        prod.task.id,
    ]


def test_due_this_week_runs_from_today_through_sunday(uow, prod, week):
    with uow() as s:
        assert ids(view(s, prod.artist, "week")) == [week["today"], week["sunday"]]


def test_overdue_is_due_before_today_and_not_done(uow, prod, week):
    with uow() as s:
        assert ids(view(s, prod.artist, "overdue")) == [week["last_week"], week["yesterday"]]


def test_done_tasks_are_in_no_view_and_no_count(uow, prod, week):
    with uow() as s:
        for v in workload.VIEWS:
            assert week["done_overdue"] not in ids(view(s, prod.artist, v))
            assert week["done_overdue"] not in ids(view(s, prod.producer, v, scope="everyone"))


def test_counts_cover_every_view_whichever_is_shown(uow, prod, week):
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=week["today"], status="INTERNAL_REVIEW")
    with uow() as s:
        counts = {v: view(s, prod.artist, v).counts for v in workload.VIEWS}
    expected = {"mine": 6, "week": 2, "overdue": 2, "review": 1, "watching": 0}
    assert all(c == expected for c in counts.values())


@pytest.mark.parametrize(
    ("today", "due", "in_week"),
    [
        (date(2026, 3, 2), date(2026, 3, 8), True),  # Monday: the whole week ahead
        (date(2026, 3, 8), date(2026, 3, 8), True),  # Sunday: only today
        (date(2026, 3, 8), date(2026, 3, 9), False),
        (date(2026, 3, 2), date(2026, 3, 1), False),  # yesterday is overdue, not this week
    ],
)
def test_the_week_ends_on_sunday(uow, prod, today, due, in_week):
    with uow() as s:
        tasks.set_due_date(s, actor=prod.producer, task_id=prod.task.id, due_date=due)
        assert (prod.task.id in ids(view(s, prod.artist, "week", today=today))) is in_week


def test_today_defaults_to_the_real_date(uow, prod):
    with uow() as s:
        tasks.set_due_date(s, actor=prod.producer, task_id=prod.task.id, due_date=date.today())
        w = workload.workload(s, actor=prod.artist, view="week")
    assert ids(w) == [prod.task.id]


# ---------------------------------------------------------------- my tasks: whose


def test_my_tasks_are_what_i_am_assigned_or_supervise_and_watched_ones_are_apart(uow, prod):
    with uow() as s:
        watched = make_task(s, prod.producer, shot_id=prod.shot.id, type="ROTO")
        tasks.set_watchers(s, actor=prod.producer, task_id=watched.id, user_ids=[prod.artist.id])
        supervised = make_task(s, prod.producer, shot_id=prod.shot.id, type="TRACK")
        row = s.get(Task, supervised.id)
        row.assigned_supervisor_id = prod.artist.id
        s.add(row)
        make_task(s, prod.producer, shot_id=prod.shot.id, assigned_artist_id=prod.other_artist.id)
    with uow() as s:
        mine = view(s, prod.artist)
        watching = view(s, prod.artist, "watching")
        supervisor_mine = ids(view(s, prod.supervisor))
    assert set(ids(mine)) == {prod.task.id, supervised.id}
    assert ids(watching) == [watched.id]
    assert (mine.counts["mine"], mine.counts["watching"]) == (2, 1)
    assert supervisor_mine == [prod.task.id]


def test_watching_my_own_task_keeps_it_in_my_tasks_only(uow, prod):
    with uow() as s:
        tasks.watch(s, actor=prod.artist, task_id=prod.task.id, watching=True)
        tasks.watch(s, actor=prod.supervisor, task_id=prod.task.id, watching=True)
    with uow() as s:
        for who in (prod.artist, prod.supervisor):
            w = view(s, who, "watching")
            assert (ids(w), w.counts["mine"]) == ([], 1)


def test_watched_tasks_are_not_due_this_week_or_overdue_for_me(uow, prod, week):
    with uow() as s:
        tasks.set_watchers(
            s,
            actor=prod.producer,
            task_id=week["someone_elses"],
            user_ids=[prod.artist.id],
        )
    with uow() as s:
        w = view(s, prod.artist, "week")
    assert week["someone_elses"] not in ids(w)
    assert w.counts["watching"] == 1


def test_an_artists_my_tasks_count_is_their_workload_bar(uow, prod, week):
    """My Tasks said 14 where the dashboard's workload bar said 12: watched tasks counted."""
    with uow() as s:
        tasks.set_watchers(
            s, actor=prod.producer, task_id=week["someone_elses"], user_ids=[prod.artist.id]
        )
    with uow() as s:
        counts = view(s, prod.artist).counts
        [bar] = [
            b
            for b in dashboard.dashboard(s, actor=prod.producer, today=WEDNESDAY).workload
            if b.artist_id == prod.artist.id
        ]
    assert counts["mine"] == bar.total == 6


def test_an_artist_with_no_tasks_has_empty_views(uow, prod):
    with uow() as s:
        w = view(s, prod.other_artist)
    assert (w.tasks, w.counts) == (
        (),
        {"mine": 0, "week": 0, "overdue": 0, "review": 0, "watching": 0},
    )


# ---------------------------------------------------------------- awaiting review


@pytest.fixture
def in_review(uow, prod):
    """prod.task in INTERNAL_REVIEW; another one supervised by nobody but watched by the
    supervisor; and one in review that concerns the supervisor in no way."""
    with uow() as s:
        tasks.move(s, actor=prod.artist, task_id=prod.task.id, status="INTERNAL_REVIEW")
        watched = make_task(s, prod.producer, shot_id=prod.shot.id, type="ROTO")
        tasks.set_watchers(
            s, actor=prod.producer, task_id=watched.id, user_ids=[prod.supervisor.id]
        )
        unrelated = make_task(s, prod.producer, shot_id=prod.shot.id, type="TRACK")
        for task_id in (watched.id, unrelated.id):
            tasks.move(s, actor=prod.producer, task_id=task_id, status="INTERNAL_REVIEW")
    return prod.task.id, watched.id, unrelated.id


def test_staff_await_the_internal_review_of_what_they_supervise(uow, prod, in_review):
    supervised, watched, _unrelated = in_review
    with uow() as s:
        w = view(s, prod.supervisor, "review")
    assert ids(w) == [supervised]
    assert w.counts["review"] == 1
    assert w.counts["watching"] == 1  # the watched one is followed, not theirs to review


def test_an_artist_awaits_the_review_of_their_own_task(uow, prod, in_review):
    """Awaiting Review was always 0 for artists, even with their task in Internal Review."""
    with uow() as s:
        w = view(s, prod.artist, "review")
    assert (ids(w), w.counts["review"], w.counts["mine"]) == ([prod.task.id], 1, 1)


def test_a_watched_task_in_review_is_not_awaiting_for_an_artist(uow, prod, in_review):
    _supervised, watched, _unrelated = in_review
    with uow() as s:
        tasks.set_watchers(s, actor=prod.producer, task_id=watched, user_ids=[prod.artist.id])
    with uow() as s:
        assert ids(view(s, prod.artist, "review")) == [prod.task.id]
        assert ids(view(s, prod.artist, "watching")) == [watched]


@pytest.mark.parametrize(
    ("status", "awaiting"),
    [
        ("TODO", False),
        ("IN_PROGRESS", False),
        ("INTERNAL_REVIEW", True),
        ("CLIENT_REVIEW", True),
        ("CHANGES", False),
        ("DONE", False),
    ],
)
def test_an_artists_task_awaits_review_in_internal_or_client_review(uow, prod, status, awaiting):
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status=status)
    with uow() as s:
        assert ids(view(s, prod.artist, "review")) == ([prod.task.id] if awaiting else [])


@pytest.mark.parametrize("status", ["IN_PROGRESS", "CLIENT_REVIEW", "CHANGES", "DONE"])
def test_other_statuses_are_not_awaiting_review(uow, prod, status):
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status=status)
    with uow() as s:
        assert view(s, prod.supervisor, "review").tasks == ()


# ---------------------------------------------------------------- scope


def test_staff_look_at_one_artists_assigned_work(uow, prod, week):
    with uow() as s:
        # watching does not make a task part of the artist's workload
        tasks.set_watchers(
            s, actor=prod.producer, task_id=prod.task.id, user_ids=[prod.other_artist.id]
        )
        by_str = view(s, prod.supervisor, "week", scope=str(prod.other_artist.id))
        by_int = view(s, prod.producer, "week", scope=prod.other_artist.id)
        artist = view(s, prod.producer, "overdue", scope=str(prod.artist.id))
    assert ids(by_str) == ids(by_int) == [week["someone_elses"]]
    assert by_str.counts == {"mine": 1, "week": 1, "overdue": 0, "review": 0, "watching": 0}
    assert ids(artist) == [week["last_week"], week["yesterday"]]


def test_staff_look_at_everyone(uow, prod, week):
    with uow() as s:
        elsewhere = make_task(s, prod.producer)  # another project, unassigned
        w = view(s, prod.admin, scope="everyone")
    open_ids = {i for k, i in week.items() if k != "done_overdue"}
    assert set(ids(w)) == open_ids | {prod.task.id, elsewhere.id}
    assert w.counts == {"mine": 8, "week": 3, "overdue": 2, "review": 0, "watching": 0}


def test_everyone_awaiting_review_is_every_task_in_internal_or_client_review(uow, prod, in_review):
    """As the dashboard's "in review" list counts them (its "View all" opens this view)."""
    with uow() as s:
        at_client = make_task(s, prod.producer, shot_id=prod.shot.id, type="KEY").id
        tasks.move(s, actor=prod.producer, task_id=at_client, status="CLIENT_REVIEW")
        everyone = ids(view(s, prod.producer, "review", scope="everyone"))
        artist = ids(view(s, prod.supervisor, "review", scope=str(prod.artist.id)))
    assert everyone == [*in_review, at_client]
    assert artist == [prod.task.id]


def test_an_artists_awaiting_review_seen_by_staff_includes_client_review(uow, prod):
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status="CLIENT_REVIEW")
        assert ids(view(s, prod.supervisor, "review", scope=str(prod.artist.id))) == [prod.task.id]
        assert ids(view(s, prod.supervisor, "review")) == []  # not theirs to review


def test_views_keep_one_project_when_asked(uow, prod, week):
    with uow() as s:
        elsewhere = make_task(s, prod.producer, assigned_artist_id=prod.artist.id).id
        every = ids(view(s, prod.artist))
        one = view(s, prod.artist, project_id=prod.project.id)
    assert elsewhere in every
    assert elsewhere not in ids(one)
    assert set(ids(one)) == set(every) - {elsewhere}
    assert one.project_code == prod.project.code


def test_a_project_one_may_not_see_is_refused(uow, prod):
    with uow() as s:
        hidden = make_task(s, prod.producer).project_id
    with pytest.raises(PermissionDenied), uow() as s:
        view(s, prod.artist, project_id=hidden)


@pytest.mark.parametrize("scope", ["everyone", "other_artist"])
def test_artists_cannot_switch_scope(uow, prod, scope):
    scope = scope if scope == "everyone" else str(prod.other_artist.id)
    with pytest.raises(PermissionDenied), uow() as s:
        view(s, prod.artist, scope=scope)


def test_clients_have_no_workload(uow, prod):
    with pytest.raises(PermissionDenied), uow() as s:
        view(s, prod.client)


@pytest.mark.parametrize("scope", ["bob", "", "3.5"])
def test_a_scope_that_is_no_artist_is_refused(uow, prod, scope):
    with pytest.raises(ValidationError, match="Pick an artist or everyone."), uow() as s:
        view(s, prod.producer, scope=scope)


@pytest.mark.parametrize("bad", ["later", "MINE", ""])
def test_an_unknown_view_is_refused(uow, prod, bad):
    with pytest.raises(ValidationError) as err, uow() as s:
        view(s, prod.producer, bad)
    assert str(err.value) == f"Unknown view {bad!r}."


def test_a_disabled_user_has_no_workload(uow, prod):
    with uow() as s:
        disabled = make_user(s, is_active=False)
    with pytest.raises(PermissionDenied), uow() as s:
        view(s, disabled)
