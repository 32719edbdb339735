"""Archiving a finished show: admins and producers only; it leaves the studio's lists (the
projects page but for its Archived section, the dashboard, My Tasks and Watching, the artist
board, the overdue job, the bell) and nothing else: it opens by URL, stays editable, and a
client's portal and review links keep working. Unarchiving brings it all back."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from models import Activity, Project
from services import (
    board,
    dashboard,
    notifications,
    overdue,
    portal,
    projects,
    reviews,
    sharing,
    tasks,
    workload,
)
from services.board import BoardFilters, BoardScope, Viewer
from services.errors import NotFound, PermissionDenied
from tests.factories import (
    enter_as_guest,
    make_production,
    make_shot,
    make_task,
    make_version,
    share_version,
)

TODAY = date.today()


def archive(uow, prod, actor=None):
    with uow() as s:
        return projects.archive_project(s, actor=actor or prod.producer, project_id=prod.project.id)


def unarchive(uow, prod, actor=None):
    with uow() as s:
        return projects.unarchive_project(
            s, actor=actor or prod.producer, project_id=prod.project.id
        )


def codes(reads) -> set[str]:
    return {p.code for p in reads}


# ---------------------------------------------------------------- who may


@pytest.mark.parametrize("who", ["admin", "producer"])
def test_admin_and_producer_archive_and_unarchive_with_a_line_in_the_activity(uow, prod, who):
    actor = getattr(prod, who)
    archived = archive(uow, prod, actor)
    assert archived.archived_at is not None
    assert unarchive(uow, prod, actor).archived_at is None
    with uow() as s:
        lines = s.exec(
            select(Activity.verb, Activity.text)
            .where(Activity.project_id == prod.project.id, Activity.verb.like("project.%arch%"))
            .order_by(Activity.id)
        ).all()
    assert lines == [
        ("project.archived", f"{actor.name} archived project {prod.project.code}"),
        ("project.unarchived", f"{actor.name} unarchived project {prod.project.code}"),
    ]


@pytest.mark.parametrize("who", ["supervisor", "artist", "other_artist", "client"])
def test_nobody_else_may_archive_or_unarchive(uow, prod, who):
    actor = getattr(prod, who)
    with pytest.raises(PermissionDenied), uow() as s:
        projects.archive_project(s, actor=actor, project_id=prod.project.id)
    archive(uow, prod)
    with pytest.raises(PermissionDenied), uow() as s:
        projects.unarchive_project(s, actor=actor, project_id=prod.project.id)
    with uow() as s:
        assert s.get(Project, prod.project.id).archived_at is not None


def test_archiving_twice_changes_nothing_and_writes_one_line(uow, prod):
    first = archive(uow, prod)
    second = archive(uow, prod)
    assert second.archived_at == first.archived_at
    with uow() as s:
        verbs = s.exec(
            select(Activity.verb).where(
                Activity.project_id == prod.project.id, Activity.verb == "project.archived"
            )
        ).all()
    assert len(verbs) == 1


def test_an_unknown_project_is_not_found(uow, prod):
    with pytest.raises(NotFound), uow() as s:
        projects.archive_project(s, actor=prod.producer, project_id=10_000)


# ---------------------------------------------------------------- the projects list


def test_the_projects_list_leaves_it_out_and_its_archived_section_has_it(uow, prod):
    with uow() as s:
        other = make_production(s)
    archive(uow, prod)
    with uow() as s:
        for actor in (prod.producer, prod.supervisor):
            running = codes(projects.list_projects(s, actor=actor))
            assert prod.project.code not in running and other.project.code in running
            archived = codes(projects.list_projects(s, actor=actor, archived=True))
            assert archived == {prod.project.code}
            every = codes(projects.list_projects(s, actor=actor, archived=None))
            assert {prod.project.code, other.project.code} <= every
        # an artist: their member projects, archived ones in the archived section only
        assert prod.project.code not in codes(projects.list_projects(s, actor=prod.other_artist))
        assert codes(projects.list_projects(s, actor=prod.other_artist, archived=True)) == {
            prod.project.code
        }
        assert codes(projects.list_projects(s, actor=other.artist, archived=True)) == set()


def test_unarchiving_brings_it_back_to_the_list(uow, prod):
    archive(uow, prod)
    unarchive(uow, prod)
    with uow() as s:
        assert prod.project.code in codes(projects.list_projects(s, actor=prod.producer))
        assert projects.list_projects(s, actor=prod.producer, archived=True) == []


# ---------------------------------------------------------------- still there by URL


def test_it_still_opens_by_url_for_everyone_who_could_and_stays_editable(uow, prod):
    archive(uow, prod)
    with uow() as s:
        for actor in (prod.admin, prod.producer, prod.supervisor, prod.other_artist):
            got = projects.get_project(s, actor=actor, project_id=prod.project.id)
            assert got.archived_at is not None
        assert tasks.get_task(s, actor=prod.artist, task_id=prod.task.id).id == prod.task.id
        cards = board.build_board(
            s, actor=prod.producer, scope=BoardScope(project_id=prod.project.id)
        ).cards
        assert [c.id for c in cards] == [prod.task.id]
    with uow() as s:  # no read-only mode
        tasks.move(s, actor=prod.artist, task_id=prod.task.id, status="IN_PROGRESS")
        make_task(s, prod.producer, shot_id=make_shot(s, prod.producer, prod.project.id).id)
        renamed = projects.update_project(
            s, actor=prod.producer, project_id=prod.project.id, name="Harbor (final)"
        )
    assert renamed.name == "Harbor (final)"
    assert renamed.archived_at is not None
    with pytest.raises(PermissionDenied), uow() as s:  # and no wider than before
        projects.get_project(s, actor=prod.client, project_id=prod.project.id)


# ---------------------------------------------------------------- dashboard and workload


@pytest.fixture
def busy(uow, prod):
    """prod's task due today, an overdue task, an upload and a comment on it."""
    with uow() as s:
        tasks.set_due_date(s, actor=prod.producer, task_id=prod.task.id, due_date=TODAY)
        late = make_task(
            s,
            prod.producer,
            asset_id=prod.asset.id,
            type="MODEL",
            assigned_artist_id=prod.artist.id,
        )
        tasks.set_due_date(
            s, actor=prod.producer, task_id=late.id, due_date=TODAY - timedelta(days=3)
        )
        v = make_version(s, prod.artist, prod.task.id)
        reviews.add_comment(s, actor=prod.supervisor, version_id=v.id, body="nice")
        tasks.set_watchers(
            s, actor=prod.producer, task_id=prod.task.id, user_ids=[prod.other_artist.id]
        )
    return prod


def _dash_ids(d: dashboard.Dashboard) -> set[int]:
    return (
        {t.id for t in d.due_today + d.overdue + d.in_review}
        | {u.task_id for u in d.uploads}
        | {f.task_id for f in d.feedback}
    )


def test_the_dashboard_leaves_it_out_of_every_project_but_opens_it_by_id(uow, busy):
    prod = busy
    with uow() as s:
        before = dashboard.dashboard(s, actor=prod.producer, today=TODAY)
        mine_before = dashboard.dashboard(s, actor=prod.artist, today=TODAY)
    assert prod.task.id in _dash_ids(before) and before.workload
    assert prod.task.id in _dash_ids(mine_before)
    archive(uow, prod)
    with uow() as s:
        for actor in (prod.producer, prod.artist):
            d = dashboard.dashboard(s, actor=actor, today=TODAY)
            assert _dash_ids(d) == set()
            assert (d.due_today_total, d.overdue_total, d.in_review_total) == (0, 0, 0)
            assert d.workload == ()
        scoped = dashboard.dashboard(
            s, actor=prod.producer, project_id=prod.project.id, today=TODAY
        )
    assert _dash_ids(scoped) == _dash_ids(before)
    assert scoped.overdue_total == 1
    unarchive(uow, prod)
    with uow() as s:
        assert _dash_ids(dashboard.dashboard(s, actor=prod.producer, today=TODAY)) == _dash_ids(
            before
        )


def test_my_tasks_and_watching_leave_it_out_but_its_project_scope_shows_it(uow, busy):
    prod = busy

    def views(actor, **kw):
        with uow() as s:
            w = workload.workload(s, actor=actor, today=TODAY, **kw)
        return w.counts

    assert views(prod.artist)["mine"] == 2
    assert views(prod.other_artist)["watching"] == 1
    assert views(prod.producer, scope="everyone")["mine"] == 2
    archive(uow, prod)
    assert set(views(prod.artist).values()) == {0}
    assert set(views(prod.other_artist).values()) == {0}
    assert set(views(prod.producer, scope="everyone").values()) == {0}
    assert views(prod.artist, project_id=prod.project.id)["mine"] == 2
    unarchive(uow, prod)
    assert views(prod.artist)["mine"] == 2


# ---------------------------------------------------------------- the artist board


def test_the_artist_board_and_its_picker_leave_it_out(uow, prod):
    with uow() as s:
        other = make_production(s)
        mine_elsewhere = make_task(
            s, other.producer, shot_id=other.shot.id, assigned_artist_id=prod.artist.id
        )
    scope = BoardScope(artist_id=prod.artist.id)

    def artist_board():
        with uow() as s:
            b = board.build_board(s, actor=prod.producer, scope=scope)
            picker = {c.value: c.label for c in board.artist_picker(s, actor=prod.producer).artists}
        return {c.id for c in b.cards}, picker[str(prod.artist.id)]

    assert artist_board() == ({prod.task.id, mine_elsewhere.id}, f"{prod.artist.name} (2 tasks)")
    archive(uow, prod)
    assert artist_board() == ({mine_elsewhere.id}, f"{prod.artist.name} (1 task)")
    with uow() as s:  # the artist's own board too
        own = board.build_board(s, actor=prod.artist, scope=scope)
    assert {c.id for c in own.cards} == {mine_elsewhere.id}
    unarchive(uow, prod)
    assert artist_board()[0] == {prod.task.id, mine_elsewhere.id}


def test_a_live_change_to_an_archived_card_stays_off_the_artist_board(uow, prod):
    archive(uow, prod)
    with uow() as s:
        (card,) = board.cards_for(s, [prod.task.id])
    assert card.project_archived
    viewer = Viewer.of(prod.producer)
    filters = BoardFilters()
    artist_scope = BoardScope(artist_id=prod.artist.id)
    project_scope = BoardScope(project_id=prod.project.id)
    assert not board.card_for_board(viewer, artist_scope, filters, card, TODAY)
    assert board.card_for_board(viewer, project_scope, filters, card, TODAY)
    assert board.card_from_wire(board.card_to_wire(card)).project_archived


# ---------------------------------------------------------------- overdue job and bell


def test_the_bell_leaves_out_its_notifications_until_unarchived(uow, prod):
    with uow() as s:
        tasks.set_due_date(
            s, actor=prod.producer, task_id=prod.task.id, due_date=TODAY - timedelta(days=2)
        )
        other = make_production(s)
        make_task(
            s,
            other.producer,
            shot_id=other.shot.id,
            assigned_artist_id=prod.artist.id,
            due_date=TODAY - timedelta(days=2),
        )
        assert overdue.send_overdue(s, today=TODAY).tasks == 2

    def bell():
        with uow() as s:
            listed = notifications.list_for_user(s, actor=prod.artist)
            unread = notifications.count_unread(s, user_id=prod.artist.id)
        return {n.project_id for n in listed}, unread

    assert bell() == ({prod.project.id, other.project.id}, 2)
    archive(uow, prod)
    assert bell() == ({other.project.id}, 1)
    unarchive(uow, prod)
    assert bell() == ({prod.project.id, other.project.id}, 2)


def test_archiving_pushes_the_bell_of_those_with_unread_notifications_about_it(uow, prod):
    from services import events

    with uow() as s:
        tasks.set_due_date(
            s, actor=prod.producer, task_id=prod.task.id, due_date=TODAY - timedelta(days=2)
        )
        overdue.send_overdue(s, today=TODAY)
    heard: list[events.DomainEvent] = []
    sub = events.subscribe(heard.append, {"notification.read", "project.archived"})
    try:
        archive(uow, prod)
    finally:
        events.unsubscribe(sub)
    assert {(e.name, e.payload.get("user_id")) for e in heard} == {
        ("project.archived", None),
        ("notification.read", prod.artist.id),
        ("notification.read", prod.supervisor.id),
    }


# ---------------------------------------------------------------- the client


def test_a_client_keeps_their_portal_and_review_links_to_an_archived_show(uow, prod):
    """See projects.archive_project: archiving tidies the studio's screens only."""
    with uow() as s:
        v = make_version(s, prod.artist, prod.task.id)
        link = share_version(s, prod.producer, v.id).link
    archive(uow, prod)
    with uow() as s:
        assert [x.id for x in portal.list_shared_versions(s, actor=prod.client)] == [v.id]
        assert portal.room(s, actor=prod.client, version_id=v.id) is not None
        token = link[len(sharing.LINK_PREFIX) :]
        assert sharing.open_link(s, token=token).state == "active"
        guest = enter_as_guest(s, link, "Jordan")
        assert [x.id for x in portal.list_shared_versions(s, actor=guest)] == [v.id]


# ---------------------------------------------------------------- the migration


def test_migration_0008_moves_the_old_archived_status_to_archived_at_and_back(uow, db_url):
    """project.status ARCHIVED (which only the overdue job read) becomes archived_at; the
    downgrade writes it back. Neither way loses what hangs under a project (a copy of the
    table would: dropping the old one cascades on SQLite)."""
    import sqlalchemy as sa
    from alembic import command

    from tests.conftest import _alembic_config

    with uow() as s:
        prod = make_production(s)
        running = make_production(s)
    config = _alembic_config(db_url)
    command.downgrade(config, "0007")
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE project SET status = 'ARCHIVED' WHERE id = :id"),
            {"id": prod.project.id},
        )
    command.upgrade(config, "head")
    with uow() as s:
        old = s.get(Project, prod.project.id)
        assert old.archived_at is not None and old.status.value == "ACTIVE"
        assert s.get(Project, running.project.id).archived_at is None
        assert prod.project.code not in codes(projects.list_projects(s, actor=prod.producer))
    command.downgrade(config, "0007")
    with engine.begin() as conn:
        statuses = dict(conn.execute(sa.text("SELECT id, status FROM project")).all())
    engine.dispose()
    command.upgrade(config, "head")
    assert statuses[prod.project.id] == "ARCHIVED"
    assert statuses[running.project.id] == "ACTIVE"
    with uow() as s:
        assert tasks.get_task(s, actor=prod.producer, task_id=prod.task.id).id == prod.task.id
        assert s.exec(select(Activity.id).where(Activity.project_id == prod.project.id)).all()
