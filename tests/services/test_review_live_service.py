"""Live review rooms, publishing side: after a commit, the tasks whose review room changed
go on the review bus; work that rolled back announces nothing."""

from __future__ import annotations

import pytest

from integrations import realtime, review_bus
from models import ProcessingState, Version
from services import media_pipeline, review_live, reviews, sharing
from tests.factories import make_version, share_version


@pytest.fixture
def published(db_url):
    bus = realtime.LocalBus()
    seen: list[dict] = []
    bus.add_listener(seen.append)
    review_bus.set_bus(bus)
    review_live.install()
    yield seen
    review_live.uninstall()
    review_bus.set_bus(None)


def test_a_comment_a_decision_and_a_processing_step_announce_their_task(uow, prod, published):
    with uow() as s:
        version = make_version(s, prod.artist, prod.task.id)
    review_live.flush()
    published.clear()
    with uow() as s:
        reviews.add_comment(s, actor=prod.supervisor, version_id=version.id, body="hm", frame=2)
    review_live.flush()
    assert published == [{"tasks": [prod.task.id]}]

    with uow() as s:
        reviews.record_approval(
            s, actor=prod.supervisor, version_id=version.id, decision="APPROVED"
        )
    with uow() as s:
        v = s.get(Version, version.id)
        v.processing_state = ProcessingState.FAILED
        s.add(v)
    with uow() as s:
        media_pipeline.retry(s, actor=prod.supervisor, version_id=version.id)
    review_live.flush()
    assert published[1:] and all(m["tasks"] == [prod.task.id] for m in published[1:])
    # a decision also changes what the client's portal lists: its project is announced
    assert published[1] == {"tasks": [prod.task.id], "projects": [prod.project.id]}


def test_a_share_and_a_withdrawal_announce_the_project_to_portals(uow, prod, published):
    with uow() as s:
        version = make_version(s, prod.artist, prod.task.id)
    review_live.flush()
    published.clear()
    with uow() as s:
        share_version(s, prod.producer, version.id)
    with uow() as s:
        sharing.unshare_version(s, actor=prod.producer, version_id=version.id)
    review_live.flush()
    assert published and all(m.get("projects") == [prod.project.id] for m in published)
    assert {t for m in published for t in m["tasks"]} == {prod.task.id}


def test_work_that_rolled_back_announces_nothing(uow, prod, published):
    with uow() as s:
        version = make_version(s, prod.artist, prod.task.id)
    review_live.flush()
    published.clear()
    with pytest.raises(RuntimeError), uow() as s:
        reviews.add_comment(s, actor=prod.supervisor, version_id=version.id, body="no")
        raise RuntimeError("the rest of the use case failed")
    review_live.flush()
    assert published == []
