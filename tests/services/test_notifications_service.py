"""Who hears about what (the issue's recipient rules), in which words and with which link;
the bell's read API; Slack and email queued by per-user preference."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import select

from models import Notification, NotificationType, OutboxMessage, Project, Task, User
from services import notification_preferences, notifications, reviews, tasks
from services.errors import NotFound, PermissionDenied, ValidationError
from services.notifications import Occurrence, Parties, recipients
from services.schemas import UserRead
from tests.factories import (
    Production,
    enter_as_guest,
    make_asset,
    make_production,
    make_task,
    make_user,
    make_version,
    share_version,
)

T = NotificationType


@dataclass(frozen=True)
class World:
    prod: Production
    watcher_id: int
    names: dict[int, str]  # user id → role in the story ("artist", "watcher", …)


@pytest.fixture
def world(uow) -> World:
    """A production on shot SH010 whose COMP task has a watcher, built before notifications are
    on (so the tests see only what their own action causes)."""
    with uow() as s:
        prod = make_production(s, shot_code="SH010")
        watcher = make_user(s, role="ARTIST")
        tasks.set_watchers(s, actor=prod.producer, task_id=prod.task.id, user_ids=[watcher.id])
    names = {
        getattr(prod, role).id: role
        for role in ("admin", "producer", "supervisor", "artist", "other_artist", "client")
    }
    names[watcher.id] = "watcher"
    return World(prod, watcher.id, names)


def notified(uow, world: World, after: int = 0) -> dict[str, list[Notification]]:
    """New notification rows (id > after) by the story role of their recipient."""
    with uow() as s:
        rows = s.exec(select(Notification).where(Notification.id > after)).all()
    out: dict[str, list[Notification]] = {}
    for row in rows:
        out.setdefault(world.names.get(row.user_id, f"user{row.user_id}"), []).append(row)
    return out


def last_id(uow) -> int:
    with uow() as s:
        return max(s.exec(select(Notification.id)).all() or [0])


# ---------------------------------------------------------------- the rules, as a table


# Each action: what a person does on the world's task, and who then hears what.
def assign_other_artist(s, w: World):
    tasks.assign(s, actor=w.prod.producer, task_id=w.prod.task.id, artist_id=w.prod.other_artist.id)


def upload(s, w: World):
    make_version(s, w.prod.artist, w.prod.task.id)


def move_to_internal_review(s, w: World):
    tasks.move(s, actor=w.prod.artist, task_id=w.prod.task.id, status="INTERNAL_REVIEW")


def _version(s, w: World) -> int:
    return make_version(s, w.prod.artist, w.prod.task.id, notify=False).id


def supervisor_approves(s, w: World):
    reviews.record_approval(
        s, actor=w.prod.supervisor, version_id=_version(s, w), decision="APPROVED"
    )


def supervisor_requests_changes(s, w: World):
    reviews.record_approval(
        s, actor=w.prod.supervisor, version_id=_version(s, w), decision="CHANGES_REQUESTED"
    )


def _shared(s, w: World) -> int:
    version_id = _version(s, w)
    share_version(s, w.prod.supervisor, version_id)
    return version_id


def client_approves(s, w: World, version_id: int):
    reviews.record_approval(s, actor=w.prod.client, version_id=version_id, decision="APPROVED")


def client_requests_changes(s, w: World, version_id: int):
    reviews.record_approval(
        s, actor=w.prod.client, version_id=version_id, decision="CHANGES_REQUESTED"
    )


# The share itself notifies (VERSION_SHARED): done first, in a unit of work of its own.
client_approves.prepare = client_requests_changes.prepare = _shared


def artist_comments(s, w: World):
    reviews.add_comment(s, actor=w.prod.artist, version_id=_version(s, w), body="edge fixed")


RULES = [
    # action, type, who hears it (never the one who acted)
    (assign_other_artist, T.TASK_ASSIGNED, {"other_artist"}),
    (upload, T.TASK_READY_FOR_REVIEW, {"supervisor", "watcher"}),
    (move_to_internal_review, T.TASK_READY_FOR_REVIEW, {"supervisor", "watcher"}),
    (supervisor_approves, T.TASK_APPROVED, {"artist", "watcher"}),
    (supervisor_requests_changes, T.TASK_CHANGES_REQUESTED, {"artist", "watcher"}),
    (client_approves, T.TASK_APPROVED, {"artist", "supervisor", "watcher"}),
    (client_requests_changes, T.TASK_CHANGES_REQUESTED, {"artist", "supervisor", "watcher"}),
    (artist_comments, T.COMMENT_ADDED, {"supervisor", "watcher"}),
]


@pytest.mark.parametrize(("action", "kind", "expected"), RULES, ids=[r[0].__name__ for r in RULES])
def test_recipient_rules(uow, world, notifying, action, kind, expected):
    prepare = getattr(action, "prepare", None)
    if prepare is not None:
        with uow() as s:
            prepared = prepare(s, world)
    after = last_id(uow)
    with uow() as s:
        action(s, world) if prepare is None else action(s, world, prepared)

    got = notified(uow, world, after)

    assert set(got) == expected
    assert all([n.type for n in rows] == [kind] for rows in got.values())


@pytest.mark.parametrize("kind", list(T))
@pytest.mark.parametrize("actor", ["assignee", "artist", "supervisor", "watcher"])
def test_the_actor_is_never_a_recipient(kind, actor):
    ids = {"assignee": 1, "artist": 2, "supervisor": 3, "watcher": 4}
    parties = Parties(assignee=1, artist=2, supervisor=3, watchers=frozenset({4}))

    assert ids[actor] not in recipients(kind, parties, actor_id=ids[actor])
    assert recipients(kind, parties, actor_id=None) - {ids[actor]} == recipients(
        kind, parties, actor_id=ids[actor]
    )


def test_rules_table_names_the_issue_recipients():
    everyone = Parties(assignee=1, artist=2, supervisor=3, watchers=frozenset({4}))

    assert {k: recipients(k, everyone, actor_id=None) for k in T} == {
        T.TASK_ASSIGNED: {1},
        T.TASK_READY_FOR_REVIEW: {3, 4},
        T.TASK_APPROVED: {2, 3, 4},
        T.TASK_CHANGES_REQUESTED: {2, 3, 4},
        T.TASK_OVERDUE: {2, 3},
        T.COMMENT_ADDED: {2, 3, 4},
        T.VERSION_SHARED: {2, 3, 4},
    }


def test_assigning_a_task_to_yourself_notifies_nobody(uow, world, notifying):
    with uow() as s:
        tasks.assign(s, actor=world.prod.producer, task_id=world.prod.task.id, artist_id=None)
    before = last_id(uow)
    with uow() as s:
        tasks.assign(
            s,
            actor=world.prod.producer,
            task_id=world.prod.task.id,
            artist_id=world.prod.producer.id,
        )

    assert notified(uow, world, before) == {}


def test_a_supervisor_who_watches_and_approves_hears_nothing_of_it(uow, world, notifying):
    with uow() as s:
        tasks.watch(s, actor=world.prod.supervisor, task_id=world.prod.task.id, watching=True)
        supervisor_approves(s, world)

    assert set(notified(uow, world)) == {"artist", "watcher"}


def test_creating_a_task_with_an_artist_notifies_the_artist(uow, world, notifying):
    with uow() as s:
        task = make_task(
            s,
            world.prod.producer,
            shot_id=world.prod.shot.id,
            type="ROTO",
            assigned_artist_id=world.prod.artist.id,
        )

    [row] = notified(uow, world)["artist"]
    assert (row.type, row.payload["task_id"]) == (T.TASK_ASSIGNED, task.id)


def test_an_upload_without_notify_tells_nobody_even_though_the_task_moves(uow, world, notifying):
    with uow() as s:
        make_version(s, world.prod.artist, world.prod.task.id, notify=False)
        assert s.get(Task, world.prod.task.id).status.value == "INTERNAL_REVIEW"

    assert notified(uow, world) == {}


def test_an_upload_that_moves_the_task_notifies_once_not_twice(uow, world, notifying):
    with uow() as s:
        version = make_version(s, world.prod.artist, world.prod.task.id)

    got = notified(uow, world)
    assert {role: len(rows) for role, rows in got.items()} == {"supervisor": 1, "watcher": 1}
    assert got["supervisor"][0].payload["link"] == f"/review/{version.id}"


def test_disabled_users_are_not_notified(uow, world, notifying):
    from services import users

    with uow() as s:
        users.update_user(s, actor=world.prod.admin, user_id=world.watcher_id, is_active=False)
        upload(s, world)

    assert set(notified(uow, world)) == {"supervisor"}


# ---------------------------------------------------------------- clients


@pytest.mark.parametrize("kind", list(T))
def test_a_client_never_gets_a_notification_even_if_named(uow, world, kind):
    """The portal has no bell: a row for a client would wait unread forever."""
    client = world.prod.client.id
    everywhere = Parties(
        assignee=client, artist=client, supervisor=client, watchers=frozenset({client})
    )
    occ = Occurrence(
        kind=kind,
        key="k",
        project_id=world.prod.project.id,
        text="SH010 COMP task",
        link="/x",
        task_id=world.prod.task.id,
    )
    with uow() as s:
        assert notifications.notify(s, occ, everywhere, actor_id=None) == []

    assert notified(uow, world) == {}


def test_sharing_tells_the_studio_but_writes_nothing_for_the_client(uow, world, notifying):
    """The client hears of a share by the review email (the share flow) and sees it in the
    portal; nothing of the round trip lands in a bell they do not have."""
    prod = world.prod
    with uow() as s:
        version_id = make_version(s, prod.artist, prod.task.id).id  # ready for review
        reviews.add_comment(s, actor=prod.artist, version_id=version_id, body="internal note")
        supervisor_approves(s, world)
        share_version(s, prod.supervisor, version_id)  # emits version.shared
    with uow() as s:
        reviews.record_approval(s, actor=prod.client, version_id=version_id, decision="APPROVED")
        reviews.add_comment(s, actor=prod.client, version_id=version_id, body="love it")
        assign_other_artist(s, world)

    got = notified(uow, world)
    assert "client" not in got
    with uow() as s:
        assert notifications.unread_count(s, actor=prod.client) == 0
        assert notifications.list_for_user(s, actor=prod.client) == []
    shared_for_artist = [n for n in got["artist"] if n.type is T.VERSION_SHARED]
    assert [n.payload["text"] for n in shared_for_artist] == [
        "SH010 COMP v001 shared with the client"
    ]
    assert "supervisor" not in {world.names[n.user_id] for n in shared_for_artist}


def test_a_clients_comment_is_told_in_the_studios_words_without_its_body(uow, world, notifying):
    with uow() as s:
        version_id = _shared(s, world)
    after = last_id(uow)
    with uow() as s:
        reviews.add_comment(
            s, actor=world.prod.client, version_id=version_id, body="secret budget remark"
        )

    got = notified(uow, world, after)
    texts = [n.payload["text"] for rows in got.values() for n in rows]
    assert texts and set(texts) == {f"Client {world.prod.client.name} commented on SH010 COMP v001"}
    assert not any("secret" in str(n.payload) for rows in got.values() for n in rows)


# ---------------------------------------------------------------- wording and links


@pytest.mark.parametrize(
    ("action", "text", "link"),
    [
        (assign_other_artist, "SH010 COMP task assigned to you", "/tasks/{task}"),
        (upload, "SH010 COMP task ready for review", "/review/{version}"),
        (move_to_internal_review, "SH010 COMP task ready for review", "/tasks/{task}"),
        (supervisor_approves, "SH010 COMP task approved", "/review/{version}"),
        (supervisor_requests_changes, "SH010 COMP task: changes requested", "/review/{version}"),
        (client_approves, "SH010 COMP task approved by Client {client}", "/review/{version}"),
        (
            client_requests_changes,
            "SH010 COMP task: Client {client} requested changes",
            "/review/{version}",
        ),
        (artist_comments, "{artist} commented on SH010 COMP v001", "/review/{version}"),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_notifications_read_like_the_spec_and_link_to_task_or_review(
    uow, world, notifying, action, text, link
):
    prepare = getattr(action, "prepare", None)
    if prepare is not None:
        with uow() as s:
            prepared = prepare(s, world)
    after = last_id(uow)
    with uow() as s:
        action(s, world) if prepare is None else action(s, world, prepared)
    rows = [n for rows in notified(uow, world, after).values() for n in rows]
    [read] = {
        (r.text, r.link)
        for r in (notifications._read(n) for n in rows)  # the read model the bell gets
    }
    version_id = rows[0].payload.get("version_id")

    assert read == (
        text.format(artist=world.prod.artist.name, client=world.prod.client.name),
        link.format(task=world.prod.task.id, version=version_id),
    )


def test_a_link_guests_decision_and_comment_are_told_with_the_name_they_gave(uow, world, notifying):
    with uow() as s:
        version_id = _version(s, world)
        guest = enter_as_guest(
            s, share_version(s, world.prod.supervisor, version_id).link, "Jordan (Harbor Films)"
        )
    after = last_id(uow)
    with uow() as s:
        reviews.add_comment(s, actor=guest, version_id=version_id, body="warmer", frame=12)
        reviews.record_approval(s, actor=guest, version_id=version_id, decision="CHANGES_REQUESTED")

    texts = {n.payload["text"] for n in notified(uow, world, after)["artist"]}
    assert texts == {
        "Client Jordan (Harbor Films) commented on SH010 COMP v001",
        "SH010 COMP task: Client Jordan (Harbor Films) requested changes",
    }


def test_a_comment_at_a_frame_opens_the_review_at_that_frame(uow, world, notifying):
    """Frames are shown from the project's start frame (1001): the note at clip index 12 is
    frame 1013, and the review room opens there."""
    with uow() as s:
        version_id = _version(s, world)
    after = last_id(uow)
    with uow() as s:
        reviews.add_comment(
            s, actor=world.prod.supervisor, version_id=version_id, body="edge", frame=12
        )
        reviews.add_comment(s, actor=world.prod.supervisor, version_id=version_id, body="all")

    links = sorted(n.payload["link"] for n in notified(uow, world, after)["artist"])
    assert links == [f"/review/{version_id}", f"/review/{version_id}?frame=1013"]


def test_the_frame_counts_from_the_projects_own_start_frame(uow, world, notifying):
    with uow() as s:
        s.get(Project, world.prod.project.id).start_frame = 1
        version_id = _version(s, world)
    after = last_id(uow)
    with uow() as s:
        reviews.add_comment(
            s, actor=world.prod.supervisor, version_id=version_id, body="x", frame=0
        )

    [row] = notified(uow, world, after)["artist"]
    assert row.payload["link"] == f"/review/{version_id}?frame=1"


@pytest.mark.parametrize("code", ["CAR01", "ASSET_CAR01"])
def test_an_asset_task_is_named_as_the_spec_does(uow, world, notifying, code):
    prod = world.prod
    with uow() as s:
        asset = make_asset(s, prod.producer, prod.project.id, asset_code=code)
        task = make_task(
            s,
            prod.producer,
            asset_id=asset.id,
            type="MODEL",
            assigned_artist_id=prod.artist.id,
            assigned_supervisor_id=prod.supervisor.id,
        )
    with uow() as s:
        version = make_version(s, prod.artist, task.id, notify=False)
        reviews.record_approval(
            s, actor=prod.supervisor, version_id=version.id, decision="APPROVED"
        )

    [approved] = [n for n in notified(uow, world)["artist"] if n.type is T.TASK_APPROVED]
    assert approved.payload["text"] == "ASSET_CAR01 MODEL task approved"


# ---------------------------------------------------------------- after commit, live push


def test_each_notification_announces_itself_after_commit(uow, world, notifying, delivered):
    delivered.clear()
    with uow() as s:
        upload(s, world)
        assert [e for e in delivered if e.name == "notification.created"] == []

    announced = [e for e in delivered if e.name == "notification.created"]
    rows = [n for rows in notified(uow, world).values() for n in rows]
    assert sorted(
        (e.payload["user_id"], e.payload["notification_id"]) for e in announced
    ) == sorted((n.user_id, n.id) for n in rows)
    assert {e.payload["type"] for e in announced} == {"TASK_READY_FOR_REVIEW"}


def test_install_is_idempotent_and_uninstall_stops_notifications(uow, world, db_url):
    from services.db import session_scope

    try:
        notifications.install(lambda: session_scope(db_url))
        notifications.install(lambda: session_scope(db_url))
        with uow() as s:
            upload(s, world)
        assert {k: len(v) for k, v in notified(uow, world).items()} == {
            "supervisor": 1,
            "watcher": 1,
        }
    finally:
        notifications.uninstall()
    before = last_id(uow)
    with uow() as s:
        upload(s, world)
    assert notified(uow, world, before) == {}
    assert not notifications.installed()


def test_a_rolled_back_action_notifies_nobody(uow, world, notifying):
    with pytest.raises(RuntimeError), uow() as s:
        upload(s, world)
        raise RuntimeError("upload aborted")

    assert notified(uow, world) == {}


# ---------------------------------------------------------------- the bell's read API


@pytest.fixture
def inbox(uow, world, notifying):
    """Three notifications for the supervisor (three uploads), oldest first."""
    with uow() as s:
        for _ in range(3):
            upload(s, world)
    return [n.id for n in sorted(notified(uow, world)["supervisor"], key=lambda n: n.id)]


def test_list_for_user_is_newest_first_and_limited(uow, world, inbox):
    with uow() as s:
        everything = notifications.list_for_user(s, actor=world.prod.supervisor)
        two = notifications.list_for_user(s, actor=world.prod.supervisor, limit=2)

    assert [n.id for n in everything] == inbox[::-1]
    assert [n.id for n in two] == inbox[:0:-1]
    assert all(not n.is_read and n.type == "TASK_READY_FOR_REVIEW" for n in everything)


def test_each_notification_names_its_project_where_shot_codes_repeat(uow, world, notifying):
    """Two shows both have an SH010: the bell says which one each line is about."""
    with uow() as s:
        other = make_production(s, shot_code="SH010")
        tasks.assign(
            s,
            actor=other.producer,
            task_id=other.task.id,
            supervisor_id=world.prod.supervisor.id,
        )
    with uow() as s:
        upload(s, world)
        make_version(s, other.artist, other.task.id)
    with uow() as s:
        listed = notifications.list_for_user(s, actor=world.prod.supervisor)
    assert [(n.project_code, n.text) for n in listed] == [
        (other.project.code, "SH010 COMP task ready for review"),
        (world.prod.project.code, "SH010 COMP task ready for review"),
    ]
    assert other.project.code != world.prod.project.code


def test_marking_read_lowers_the_unread_count(uow, world, inbox):
    me = world.prod.supervisor
    with uow() as s:
        assert notifications.unread_count(s, actor=me) == 3
        read = notifications.mark_read(s, actor=me, notification_id=inbox[0])
    with uow() as s:
        unread = notifications.list_for_user(s, actor=me, unread_only=True)
        assert notifications.unread_count(s, actor=me) == 2

    assert read.is_read and read.read_at is not None
    assert [n.id for n in unread] == inbox[:0:-1]


def test_marking_read_twice_keeps_the_first_time(uow, world, inbox):
    me = world.prod.supervisor
    with uow() as s:
        first = notifications.mark_read(s, actor=me, notification_id=inbox[0])
    with uow() as s:
        again = notifications.mark_read(s, actor=me, notification_id=inbox[0])

    assert again.read_at == first.read_at


def test_nobody_marks_anothers_notification_read(uow, world, inbox):
    with pytest.raises(NotFound), uow() as s:
        notifications.mark_read(s, actor=world.prod.artist, notification_id=inbox[0])
    with pytest.raises(NotFound), uow() as s:
        notifications.mark_read(s, actor=world.prod.artist, notification_id=10**9)
    with uow() as s:
        assert notifications.unread_count(s, actor=world.prod.supervisor) == 3


def test_mark_all_read_touches_only_the_actors_own(uow, world, inbox, delivered):
    delivered.clear()
    with uow() as s:
        changed = notifications.mark_all_read(s, actor=world.prod.supervisor)
    with uow() as s:
        mine = notifications.unread_count(s, actor=world.prod.supervisor)
        watchers = notifications.unread_count(s, actor=UserRead(world.watcher_id, "", "", "ARTIST"))

    assert (changed, mine, watchers) == (3, 0, 3)
    assert [e.payload for e in delivered if e.name == "notification.read"] == [
        {"user_id": world.prod.supervisor.id}
    ]


# ---------------------------------------------------------------- Slack and email, by preference


@pytest.fixture
def channels_on(uow, world, monkeypatch):
    """SMTP configured and the project posting to a Slack webhook."""
    monkeypatch.setenv("FEEDBACK_SMTP_HOST", "127.0.0.1")
    with uow() as s:
        project = s.get(Project, world.prod.project.id)
        project.slack_webhook_url = "http://127.0.0.1:9/hook"
        s.add(project)


def outbox_rows(uow) -> list[OutboxMessage]:
    with uow() as s:
        return list(s.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_one_slack_message_per_event_and_one_email_per_recipient(
    uow, world, notifying, channels_on
):
    with uow() as s:
        version = make_version(s, world.prod.artist, world.prod.task.id)

    rows = outbox_rows(uow)
    by_channel = {c: [r for r in rows if r.channel.value == c] for c in ("SLACK", "EMAIL")}
    assert [r.payload for r in by_channel["SLACK"]] == [
        {
            "kind": "TASK_READY_FOR_REVIEW",
            "text": "SH010 COMP task ready for review",
            "path": f"/review/{version.id}",
        }
    ]
    assert sorted(r.payload["to"] for r in by_channel["EMAIL"]) == sorted(
        [world.prod.supervisor.email, email_of(uow, world.watcher_id)]
    )
    assert {r.state.value for r in rows} == {"PENDING"}
    assert all(r.project_id == world.prod.project.id for r in rows)


def email_of(uow, user_id: int) -> str:
    with uow() as s:
        return s.get(User, user_id).email


def test_slack_names_the_assignee_where_the_bell_says_you(uow, world, notifying, channels_on):
    with uow() as s:
        assign_other_artist(s, world)

    [slack] = [r for r in outbox_rows(uow) if r.channel.value == "SLACK"]
    assert slack.payload["text"] == f"SH010 COMP task assigned to {world.prod.other_artist.name}"
    [row] = notified(uow, world)["other_artist"]
    assert row.payload["text"] == "SH010 COMP task assigned to you"


def test_preferences_turn_email_and_slack_off_per_type(uow, world, notifying, channels_on):
    prod = world.prod
    watcher = UserRead(world.watcher_id, "", "", "ARTIST")
    with uow() as s:
        for who in (prod.supervisor, watcher):
            notification_preferences.set_preference(
                s, actor=who, type="TASK_READY_FOR_REVIEW", slack=False
            )
        notification_preferences.set_preference(
            s, actor=prod.supervisor, type="TASK_READY_FOR_REVIEW", email=False
        )
        upload(s, world)

    rows = outbox_rows(uow)
    assert [r.payload["to"] for r in rows if r.channel.value == "EMAIL"] == [
        email_of(uow, world.watcher_id)
    ]
    assert [r for r in rows if r.channel.value == "SLACK"] == []
    assert set(notified(uow, world)) == {"supervisor", "watcher"}  # in-app is always on


def test_comments_stay_in_app_by_default(uow, world, notifying, channels_on):
    with uow() as s:
        artist_comments(s, world)

    assert outbox_rows(uow) == []
    assert set(notified(uow, world)) == {"supervisor", "watcher"}


def test_nothing_is_queued_for_channels_that_are_not_set_up(uow, world, notifying):
    with uow() as s:
        upload(s, world)

    assert outbox_rows(uow) == []


def test_a_project_channel_needs_the_bot_token(uow, world, notifying, monkeypatch):
    with uow() as s:
        project = s.get(Project, world.prod.project.id)
        project.slack_channel = "#nightfall"
        s.add(project)
    with uow() as s:
        upload(s, world)
    assert outbox_rows(uow) == []

    monkeypatch.setenv("FEEDBACK_SLACK_BOT_TOKEN", "xoxb-test")
    with uow() as s:
        upload(s, world)
    assert [r.channel.value for r in outbox_rows(uow)] == ["SLACK"]


def test_preferences_list_every_type_with_defaults_then_choices(uow, world):
    me = world.prod.artist
    with uow() as s:
        before = {
            p.type: (p.slack, p.email)
            for p in notification_preferences.list_preferences(s, actor=me)
        }
        changed = notification_preferences.set_preference(
            s, actor=me, type="TASK_ASSIGNED", email=False
        )
        after = {
            p.type: (p.slack, p.email)
            for p in notification_preferences.list_preferences(s, actor=me)
        }

    assert set(before) == {k.value for k in T}
    assert before["TASK_ASSIGNED"] == (True, True) and before["COMMENT_ADDED"] == (False, False)
    assert (changed.slack, changed.email) == (True, False)
    assert after == {**before, "TASK_ASSIGNED": (True, False)}


def test_preferences_refuse_clients_and_unknown_types(uow, world):
    with pytest.raises(PermissionDenied), uow() as s:
        notification_preferences.list_preferences(s, actor=world.prod.client)
    with pytest.raises(PermissionDenied), uow() as s:
        notification_preferences.set_preference(
            s, actor=world.prod.client, type="VERSION_SHARED", email=True
        )
    with pytest.raises(ValidationError), uow() as s:
        notification_preferences.set_preference(
            s, actor=world.prod.artist, type="BIRTHDAY", email=True
        )
