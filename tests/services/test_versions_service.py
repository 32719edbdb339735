from __future__ import annotations

import threading

import pytest
from sqlmodel import select

from models import Activity, Task, Version
from services import tasks, versions
from services.errors import NotFound, PermissionDenied
from tests.conftest import is_postgres
from tests.factories import make_task, make_user, make_version, share_version


def test_version_numbers_count_up_per_task_from_v001(uow, prod):
    with uow() as s:
        other = make_task(s, prod.producer, shot_id=prod.shot.id, type="TRACK")
    with uow() as s:
        first = make_version(s, prod.artist, prod.task.id)
        second = make_version(s, prod.artist, prod.task.id)
        elsewhere = make_version(s, prod.producer, other.id)
    assert [(v.number, v.label) for v in (first, second)] == [(1, "v001"), (2, "v002")]
    assert (elsewhere.number, elsewhere.label) == (1, "v001")


def test_version_label_pads_to_three_digits_and_grows_past_them():
    assert [versions.label(n) for n in (1, 42, 999, 1000)] == ["v001", "v042", "v999", "v1000"]


def test_version_keeps_the_task_shot_project_and_uploader(uow, prod):
    with uow() as s:
        v = versions.create_version(
            s,
            actor=prod.artist,
            task_id=prod.task.id,
            original_filename="sh010_comp.mov",
            original_key="media/abc.mov",
            file_size=123_456_789_012,
            description="  first pass ",
        )
    with uow() as s:
        row = s.get(Version, v.id)
    assert (row.project_id, row.task_id, row.shot_id, row.asset_id) == (
        prod.project.id,
        prod.task.id,
        prod.shot.id,
        None,
    )
    assert (v.uploaded_by_id, v.uploaded_by_name, v.original_filename) == (
        prod.artist.id,
        prod.artist.name,
        "sh010_comp.mov",
    )
    assert (v.description, v.processing_state, v.is_client_visible, v.shared_at) == (
        "first pass",
        "QUEUED",
        False,
        None,
    )
    assert row.file_size == 123_456_789_012  # bigger than 32 bits


def test_version_on_an_asset_task_keeps_the_asset(uow, prod):
    with uow() as s:
        task = make_task(s, prod.producer, asset_id=prod.asset.id, type="MODEL")
        v = make_version(s, prod.producer, task.id)
        row = s.get(Version, v.id)
    assert (row.shot_id, row.asset_id) == (None, prod.asset.id)


@pytest.mark.parametrize(
    "start", ["TODO", "IN_PROGRESS", "INTERNAL_REVIEW", "CLIENT_REVIEW", "CHANGES", "DONE"]
)
def test_upload_moves_the_task_to_internal_review(uow, prod, start):
    with uow() as s:
        tasks.move(s, actor=prod.producer, task_id=prod.task.id, status=start)
    with uow() as s:
        make_version(s, prod.artist, prod.task.id)
    with uow() as s:
        assert s.get(Task, prod.task.id).status.value == "INTERNAL_REVIEW"


def test_upload_with_move_to_review_false_keeps_the_status(uow, prod, delivered):
    with uow() as s:
        tasks.move(s, actor=prod.artist, task_id=prod.task.id, status="IN_PROGRESS")
    delivered.clear()
    with uow() as s:
        make_version(s, prod.artist, prod.task.id, move_to_review=False)
    with uow() as s:
        assert s.get(Task, prod.task.id).status.value == "IN_PROGRESS"
    assert "task.status_changed" not in [e.name for e in delivered]


def test_upload_records_activity_and_emits_version_created(uow, prod, delivered):
    delivered.clear()
    with uow() as s:
        v = make_version(s, prod.artist, prod.task.id, notify=False)
        texts = s.exec(
            select(Activity.text).where(Activity.task_id == prod.task.id).order_by(Activity.id)
        ).all()
    code = prod.shot.code
    assert texts[-2:] == [
        f"{prod.artist.name} uploaded {code} COMP v001",
        f"{prod.artist.name} moved {code} COMP to Internal Review",
    ]
    [created] = [e for e in delivered if e.name == "version.created"]
    assert created.payload == {
        "version_id": v.id,
        "task_id": prod.task.id,
        "number": 1,
        "actor_id": prod.artist.id,
        "notify": False,
    }
    [changed] = [e for e in delivered if e.name == "task.status_changed"]
    assert (changed.payload["from_status"], changed.payload["to_status"]) == (
        "TODO",
        "INTERNAL_REVIEW",
    )


def test_upload_puts_the_card_at_the_bottom_of_internal_review(uow, prod):
    with uow() as s:
        first = make_task(s, prod.producer, shot_id=prod.shot.id, type="TRACK")
        tasks.move(s, actor=prod.producer, task_id=first.id, status="INTERNAL_REVIEW")
        make_version(s, prod.artist, prod.task.id)
        column = tasks.list_tasks(
            s, actor=prod.producer, project_id=prod.project.id, statuses=["INTERNAL_REVIEW"]
        )
    assert [t.id for t in column] == [first.id, prod.task.id]


def test_task_read_shows_the_latest_version_number(uow, prod):
    with uow() as s:
        make_version(s, prod.artist, prod.task.id)
        make_version(s, prod.artist, prod.task.id)
        assert tasks.get_task(s, actor=prod.artist, task_id=prod.task.id).latest_version_number == 2


def test_version_numbers_are_never_reused_after_a_delete(uow, prod):
    with uow() as s:
        make_version(s, prod.artist, prod.task.id)
        v2 = make_version(s, prod.artist, prod.task.id)
    with uow() as s:
        s.delete(s.get(Version, v2.id))
    with uow() as s:
        assert make_version(s, prod.artist, prod.task.id).number == 3


def test_a_rolled_back_upload_gives_its_number_back(uow, prod):
    """The counter lives in the task row, so a failed upload's bump rolls back with it."""
    with pytest.raises(RuntimeError), uow() as s:
        make_version(s, prod.artist, prod.task.id)
        raise RuntimeError("storage failed")
    with uow() as s:
        assert make_version(s, prod.artist, prod.task.id).number == 1


@pytest.mark.parametrize("who", ["admin", "producer", "supervisor", "artist"])
def test_staff_and_the_assigned_artist_upload(uow, prod, who):
    with uow() as s:
        assert make_version(s, getattr(prod, who), prod.task.id).number == 1


def test_artist_cannot_upload_to_someone_elses_task(uow, prod):
    with pytest.raises(PermissionDenied), uow() as s:
        make_version(s, prod.other_artist, prod.task.id)


def test_watching_artist_cannot_upload(uow, prod):
    with uow() as s:
        tasks.set_watchers(
            s, actor=prod.producer, task_id=prod.task.id, user_ids=[prod.other_artist.id]
        )
    with pytest.raises(PermissionDenied), uow() as s:
        make_version(s, prod.other_artist, prod.task.id)


def test_client_uploading_is_told_the_task_does_not_exist(uow, prod):
    with pytest.raises(NotFound), uow() as s:
        make_version(s, prod.client, prod.task.id)


def test_refused_upload_does_not_spend_a_number(uow, prod):
    with pytest.raises(PermissionDenied), uow() as s:
        make_version(s, prod.other_artist, prod.task.id)
    with uow() as s:
        assert make_version(s, prod.artist, prod.task.id).number == 1


def test_list_versions_of_a_task_newest_first(uow, prod):
    with uow() as s:
        for _ in range(3):
            make_version(s, prod.artist, prod.task.id)
    with uow() as s:
        listed = versions.list_for_task(s, actor=prod.artist, task_id=prod.task.id)
    assert [v.label for v in listed] == ["v003", "v002", "v001"]
    assert {v.uploaded_by_name for v in listed} == {prod.artist.name}


def test_other_artists_and_clients_cannot_list_a_tasks_versions(uow, prod):
    with pytest.raises(PermissionDenied), uow() as s:
        versions.list_for_task(s, actor=prod.other_artist, task_id=prod.task.id)
    with pytest.raises(NotFound), uow() as s:
        versions.list_for_task(s, actor=prod.client, task_id=prod.task.id)


def test_client_sees_a_version_only_once_shared(uow, prod):
    with uow() as s:
        v = make_version(s, prod.artist, prod.task.id)
    with pytest.raises(NotFound, match="Version not found."), uow() as s:
        versions.get_version(s, actor=prod.client, version_id=v.id)
    with uow() as s:
        share_version(s, prod.supervisor, v.id)
    with uow() as s:
        seen = versions.get_version(s, actor=prod.client, version_id=v.id)
    assert (seen.id, seen.is_client_visible) == (v.id, True)


def test_client_of_another_project_never_sees_a_shared_version(uow, prod):
    with uow() as s:
        stranger = make_user(s, role="CLIENT")
        v = make_version(s, prod.artist, prod.task.id)
        share_version(s, prod.supervisor, v.id)
    with pytest.raises(NotFound), uow() as s:
        versions.get_version(s, actor=stranger, version_id=v.id)


def test_artist_sees_versions_of_own_tasks_only(uow, prod):
    with uow() as s:
        v = make_version(s, prod.artist, prod.task.id)
    with uow() as s:
        assert versions.get_version(s, actor=prod.artist, version_id=v.id).id == v.id
    with pytest.raises(PermissionDenied), uow() as s:
        versions.get_version(s, actor=prod.other_artist, version_id=v.id)


def test_missing_version_is_not_found(uow, prod):
    with pytest.raises(NotFound, match="Version not found."), uow() as s:
        versions.get_version(s, actor=prod.producer, version_id=999_999)


# ---------------------------------------------------------------- concurrency


def _race_uploads(db_url, task_id, uploader, threads: int, per_thread: int) -> list[int]:
    from services.db import session_scope

    barrier = threading.Barrier(threads)
    numbers: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def upload() -> None:
        try:
            barrier.wait()
            for _ in range(per_thread):
                with session_scope(db_url) as s:
                    n = make_version(s, uploader, task_id).number
                with lock:
                    numbers.append(n)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    workers = [threading.Thread(target=upload) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert not errors, errors
    return numbers


def test_concurrent_uploads_on_one_task_get_distinct_consecutive_numbers(uow, prod, db_url):
    """Eight uploaders at once, each in its own unit of work, as eight browser tabs would.

    On PostgreSQL the UPDATE … RETURNING takes the task's row lock; on SQLite (a file database
    in WAL mode) the write lock serialises the writers and busy_timeout makes them wait."""
    threads, per_thread = 8, 5
    numbers = _race_uploads(db_url, prod.task.id, prod.artist, threads, per_thread)
    total = threads * per_thread
    assert sorted(numbers) == list(range(1, total + 1))
    with uow() as s:
        stored = s.exec(select(Version.number).where(Version.task_id == prod.task.id)).all()
        task = s.get(Task, prod.task.id)
    assert sorted(stored) == list(range(1, total + 1))
    assert task.last_version_number == total


@pytest.mark.pg
def test_concurrent_uploads_on_postgres_hold_the_row_lock(uow, prod, db_url):
    if not is_postgres(db_url):
        pytest.skip("needs PostgreSQL (set FEEDBACK_TEST_DB_URL); SQLite has no row locks")
    with uow() as s:
        second = make_task(s, prod.producer, shot_id=prod.shot.id, type="TRACK")
    # two tasks raced at once: each keeps its own sequence
    results: dict[int, list[int]] = {}

    def race(task_id: int) -> None:
        results[task_id] = _race_uploads(db_url, task_id, prod.producer, 6, 4)

    runners = [threading.Thread(target=race, args=(t,)) for t in (prod.task.id, second.id)]
    for r in runners:
        r.start()
    for r in runners:
        r.join(timeout=120)
    assert sorted(results[prod.task.id]) == list(range(1, 25))
    assert sorted(results[second.id]) == list(range(1, 25))
