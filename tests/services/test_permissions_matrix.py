"""Every cell of the permission matrix: role × action × the actor's relation to the target.

The expected table below is written out by hand from the product spec (staff have full task
control; an artist sees, watches, comments on and uploads to the tasks that are theirs; a client
sees and reviews only what was shared with them, in their own projects). It is NOT computed from
services.permissions: a change to a rule fails here until someone edits this table on purpose.

Target columns (facts services.access computes about the actor and the object):
    other  no relation at all (not even a project member)
    membr  member of the object's project, nothing more
    own    member, and the task's assigned artist
    watch  member, watching the task
    supvr  member, the task's supervisor
    share  member, and the version is shared with the client
    out    the version is shared with the client, but the actor is not a member
"""

from __future__ import annotations

import pytest

from models import Role, TaskStatus
from services import permissions, projects, reviews, tasks, versions
from services.errors import NotFound, PermissionDenied
from services.permissions import Target
from services.schemas import UserRead
from tests.factories import make_production, make_user, make_version, share_version

TARGETS: dict[str, Target] = {
    "other": Target(),
    "membr": Target(project_member=True),
    "own": Target(project_member=True, assigned=True),
    "watch": Target(project_member=True, watching=True),
    "supvr": Target(project_member=True, supervising=True),
    "share": Target(project_member=True, client_visible=True),
    "out": Target(client_visible=True),
}

MATRIX = """
action                  role       other membr own   watch supvr share out
dashboard.view          ADMIN      Y     Y     Y     Y     Y     Y     Y
dashboard.view          PRODUCER   Y     Y     Y     Y     Y     Y     Y
dashboard.view          SUPERVISOR Y     Y     Y     Y     Y     Y     Y
dashboard.view          ARTIST     Y     Y     Y     Y     Y     Y     Y
dashboard.view          CLIENT     .     .     .     .     .     .     .
project.view            ADMIN      Y     Y     Y     Y     Y     Y     Y
project.view            PRODUCER   Y     Y     Y     Y     Y     Y     Y
project.view            SUPERVISOR Y     Y     Y     Y     Y     Y     Y
project.view            ARTIST     .     Y     Y     Y     Y     Y     .
project.view            CLIENT     .     .     .     .     .     .     .
project.manage          ADMIN      Y     Y     Y     Y     Y     Y     Y
project.manage          PRODUCER   Y     Y     Y     Y     Y     Y     Y
project.manage          SUPERVISOR .     .     .     .     .     .     .
project.manage          ARTIST     .     .     .     .     .     .     .
project.manage          CLIENT     .     .     .     .     .     .     .
project.archive         ADMIN      Y     Y     Y     Y     Y     Y     Y
project.archive         PRODUCER   Y     Y     Y     Y     Y     Y     Y
project.archive         SUPERVISOR .     .     .     .     .     .     .
project.archive         ARTIST     .     .     .     .     .     .     .
project.archive         CLIENT     .     .     .     .     .     .     .
shot.manage             ADMIN      Y     Y     Y     Y     Y     Y     Y
shot.manage             PRODUCER   Y     Y     Y     Y     Y     Y     Y
shot.manage             SUPERVISOR Y     Y     Y     Y     Y     Y     Y
shot.manage             ARTIST     .     .     .     .     .     .     .
shot.manage             CLIENT     .     .     .     .     .     .     .
asset.manage            ADMIN      Y     Y     Y     Y     Y     Y     Y
asset.manage            PRODUCER   Y     Y     Y     Y     Y     Y     Y
asset.manage            SUPERVISOR Y     Y     Y     Y     Y     Y     Y
asset.manage            ARTIST     .     .     .     .     .     .     .
asset.manage            CLIENT     .     .     .     .     .     .     .
task.view               ADMIN      Y     Y     Y     Y     Y     Y     Y
task.view               PRODUCER   Y     Y     Y     Y     Y     Y     Y
task.view               SUPERVISOR Y     Y     Y     Y     Y     Y     Y
task.view               ARTIST     .     .     Y     Y     Y     .     .
task.view               CLIENT     .     .     .     .     .     .     .
task.manage             ADMIN      Y     Y     Y     Y     Y     Y     Y
task.manage             PRODUCER   Y     Y     Y     Y     Y     Y     Y
task.manage             SUPERVISOR Y     Y     Y     Y     Y     Y     Y
task.manage             ARTIST     .     .     .     .     .     .     .
task.manage             CLIENT     .     .     .     .     .     .     .
task.move               ADMIN      Y     Y     Y     Y     Y     Y     Y
task.move               PRODUCER   Y     Y     Y     Y     Y     Y     Y
task.move               SUPERVISOR Y     Y     Y     Y     Y     Y     Y
task.move               ARTIST     .     .     .     .     .     .     .
task.move               CLIENT     .     .     .     .     .     .     .
task.delete             ADMIN      Y     Y     Y     Y     Y     Y     Y
task.delete             PRODUCER   Y     Y     Y     Y     Y     Y     Y
task.delete             SUPERVISOR .     .     .     .     .     .     .
task.delete             ARTIST     .     .     .     .     .     .     .
task.delete             CLIENT     .     .     .     .     .     .     .
task.watch              ADMIN      Y     Y     Y     Y     Y     Y     Y
task.watch              PRODUCER   Y     Y     Y     Y     Y     Y     Y
task.watch              SUPERVISOR Y     Y     Y     Y     Y     Y     Y
task.watch              ARTIST     .     .     Y     Y     Y     .     .
task.watch              CLIENT     .     .     .     .     .     .     .
board.view              ADMIN      Y     Y     Y     Y     Y     Y     Y
board.view              PRODUCER   Y     Y     Y     Y     Y     Y     Y
board.view              SUPERVISOR Y     Y     Y     Y     Y     Y     Y
board.view              ARTIST     Y     Y     Y     Y     Y     Y     Y
board.view              CLIENT     .     .     .     .     .     .     .
workload.view_others    ADMIN      Y     Y     Y     Y     Y     Y     Y
workload.view_others    PRODUCER   Y     Y     Y     Y     Y     Y     Y
workload.view_others    SUPERVISOR Y     Y     Y     Y     Y     Y     Y
workload.view_others    ARTIST     .     .     .     .     .     .     .
workload.view_others    CLIENT     .     .     .     .     .     .     .
version.create          ADMIN      Y     Y     Y     Y     Y     Y     Y
version.create          PRODUCER   Y     Y     Y     Y     Y     Y     Y
version.create          SUPERVISOR Y     Y     Y     Y     Y     Y     Y
version.create          ARTIST     .     .     Y     .     .     .     .
version.create          CLIENT     .     .     .     .     .     .     .
version.view            ADMIN      Y     Y     Y     Y     Y     Y     Y
version.view            PRODUCER   Y     Y     Y     Y     Y     Y     Y
version.view            SUPERVISOR Y     Y     Y     Y     Y     Y     Y
version.view            ARTIST     .     .     Y     Y     Y     .     .
version.view            CLIENT     .     .     .     .     .     Y     .
version.share           ADMIN      Y     Y     Y     Y     Y     Y     Y
version.share           PRODUCER   Y     Y     Y     Y     Y     Y     Y
version.share           SUPERVISOR Y     Y     Y     Y     Y     Y     Y
version.share           ARTIST     .     .     .     .     .     .     .
version.share           CLIENT     .     .     .     .     .     .     .
version.reprocess       ADMIN      Y     Y     Y     Y     Y     Y     Y
version.reprocess       PRODUCER   Y     Y     Y     Y     Y     Y     Y
version.reprocess       SUPERVISOR Y     Y     Y     Y     Y     Y     Y
version.reprocess       ARTIST     .     .     .     .     .     .     .
version.reprocess       CLIENT     .     .     .     .     .     .     .
version.delete_any      ADMIN      Y     Y     Y     Y     Y     Y     Y
version.delete_any      PRODUCER   Y     Y     Y     Y     Y     Y     Y
version.delete_any      SUPERVISOR Y     Y     Y     Y     Y     Y     Y
version.delete_any      ARTIST     .     .     .     .     .     .     .
version.delete_any      CLIENT     .     .     .     .     .     .     .
comment.view_internal   ADMIN      Y     Y     Y     Y     Y     Y     Y
comment.view_internal   PRODUCER   Y     Y     Y     Y     Y     Y     Y
comment.view_internal   SUPERVISOR Y     Y     Y     Y     Y     Y     Y
comment.view_internal   ARTIST     .     .     Y     Y     Y     .     .
comment.view_internal   CLIENT     .     .     .     .     .     .     .
comment.create_internal ADMIN      Y     Y     Y     Y     Y     Y     Y
comment.create_internal PRODUCER   Y     Y     Y     Y     Y     Y     Y
comment.create_internal SUPERVISOR Y     Y     Y     Y     Y     Y     Y
comment.create_internal ARTIST     .     .     Y     Y     Y     .     .
comment.create_internal CLIENT     .     .     .     .     .     .     .
comment.create_client   ADMIN      Y     Y     Y     Y     Y     Y     Y
comment.create_client   PRODUCER   Y     Y     Y     Y     Y     Y     Y
comment.create_client   SUPERVISOR Y     Y     Y     Y     Y     Y     Y
comment.create_client   ARTIST     .     .     .     .     .     .     .
comment.create_client   CLIENT     .     .     .     .     .     Y     .
comment.delete_any      ADMIN      Y     Y     Y     Y     Y     Y     Y
comment.delete_any      PRODUCER   Y     Y     Y     Y     Y     Y     Y
comment.delete_any      SUPERVISOR Y     Y     Y     Y     Y     Y     Y
comment.delete_any      ARTIST     .     .     .     .     .     .     .
comment.delete_any      CLIENT     .     .     .     .     .     .     .
approval.internal       ADMIN      Y     Y     Y     Y     Y     Y     Y
approval.internal       PRODUCER   Y     Y     Y     Y     Y     Y     Y
approval.internal       SUPERVISOR Y     Y     Y     Y     Y     Y     Y
approval.internal       ARTIST     .     .     .     .     .     .     .
approval.internal       CLIENT     .     .     .     .     .     .     .
approval.client         ADMIN      .     .     .     .     .     .     .
approval.client         PRODUCER   .     .     .     .     .     .     .
approval.client         SUPERVISOR .     .     .     .     .     .     .
approval.client         ARTIST     .     .     .     .     .     .     .
approval.client         CLIENT     .     .     .     .     .     Y     .
user.manage             ADMIN      Y     Y     Y     Y     Y     Y     Y
user.manage             PRODUCER   .     .     .     .     .     .     .
user.manage             SUPERVISOR .     .     .     .     .     .     .
user.manage             ARTIST     .     .     .     .     .     .     .
user.manage             CLIENT     .     .     .     .     .     .     .
delivery.manage         ADMIN      Y     Y     Y     Y     Y     Y     Y
delivery.manage         PRODUCER   Y     Y     Y     Y     Y     Y     Y
delivery.manage         SUPERVISOR .     .     .     .     .     .     .
delivery.manage         ARTIST     .     .     .     .     .     .     .
delivery.manage         CLIENT     .     .     .     .     .     .     .
"""


def _parse_matrix(text: str) -> dict[tuple[str, str, str], bool]:
    lines = [line.split() for line in text.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    columns = header[2:]
    cells = {}
    for action, role, *marks in rows:
        assert len(marks) == len(columns), f"{action} {role}: {len(marks)} marks"
        for column, mark in zip(columns, marks):
            assert mark in ("Y", "."), mark
            cells[(action, role, column)] = mark == "Y"
    return cells


EXPECTED = _parse_matrix(MATRIX)
ROLES = [r.value for r in Role]


def actor(role: str, *, active: bool = True) -> UserRead:
    return UserRead(id=1, email="someone@studio.test", name="Someone", role=role, is_active=active)


def test_the_table_covers_every_rule_role_and_target_exactly_once():
    actions = {a for a, _, _ in EXPECTED}
    assert actions == set(permissions.RULES), "add the new rule to MATRIX (or remove the old one)"
    assert len(EXPECTED) == len(permissions.RULES) * len(ROLES) * len(TARGETS)
    assert {r for _, r, _ in EXPECTED} == set(ROLES)
    assert {t for _, _, t in EXPECTED} == set(TARGETS)


@pytest.mark.parametrize(
    ("action", "role", "target", "allowed"),
    [(a, r, t, ok) for (a, r, t), ok in EXPECTED.items()],
    ids=[f"{a}-{r}-{t}" for a, r, t in EXPECTED],
)
def test_permission_cell(action, role, target, allowed):
    assert permissions.can(actor(role), action, TARGETS[target]) is allowed
    if allowed:
        permissions.require(actor(role), action, TARGETS[target])
    else:
        with pytest.raises(PermissionDenied):
            permissions.require(actor(role), action, TARGETS[target])


@pytest.mark.parametrize("action", sorted(permissions.RULES))
@pytest.mark.parametrize("role", ROLES)
def test_a_disabled_user_may_do_nothing(action, role):
    for target in TARGETS.values():
        assert permissions.can(actor(role, active=False), action, target) is False


@pytest.mark.parametrize("action", sorted(permissions.RULES))
def test_nobody_signed_in_may_do_nothing(action):
    for target in TARGETS.values():
        assert permissions.can(None, action, target) is False


@pytest.mark.parametrize("action", sorted(permissions.RULES))
@pytest.mark.parametrize("role", ROLES)
def test_no_target_means_no_relation(action, role):
    assert permissions.can(actor(role), action) is EXPECTED[(action, role, "other")]


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError):
        permissions.can(actor("ADMIN"), "task.teleport")


@pytest.mark.parametrize(
    ("action", "role", "message"),
    [
        (
            "task.move",
            "ARTIST",
            "You can only move your own tasks between Todo, In Progress and Internal Review.",
        ),
        ("task.view", "ARTIST", "This task is not assigned to you."),
        ("user.manage", "PRODUCER", "Only an admin can manage users."),
        ("project.manage", "SUPERVISOR", "Only an admin or a producer can do that."),
        (
            "project.archive",
            "SUPERVISOR",
            "Only an admin or a producer can archive or unarchive a project.",
        ),
        ("version.share", "ARTIST", "You don't have permission to do that."),
        ("approval.internal", "CLIENT", "You don't have permission to do that."),
    ],
)
def test_denial_messages(action, role, message):
    with pytest.raises(PermissionDenied) as err:
        permissions.require(actor(role), action, Target())
    assert str(err.value) == message


# ---------------------------------------------------------------- task.move, status by status

STATUSES = [s.value for s in TaskStatus]

# An artist moving their OWN task: only between the three columns that are theirs.
ARTIST_OWN_MOVES = """
from\\to         TODO  IN_PROGRESS  INTERNAL_REVIEW  CLIENT_REVIEW  CHANGES  DONE
TODO             Y     Y            Y                .              .        .
IN_PROGRESS      Y     Y            Y                .              .        .
INTERNAL_REVIEW  Y     Y            Y                .              .        .
CLIENT_REVIEW    .     .            .                .              .        .
CHANGES          .     .            .                .              .        .
DONE             .     .            .                .              .        .
"""


def _parse_moves(text: str) -> dict[tuple[str, str], bool]:
    lines = [line.split() for line in text.strip().splitlines()]
    header, rows = lines[0][1:], lines[1:]
    assert header == STATUSES
    assert [r[0] for r in rows] == STATUSES
    return {(r[0], to): mark == "Y" for r in rows for to, mark in zip(header, r[1:])}


ARTIST_OWN = _parse_moves(ARTIST_OWN_MOVES)
ALL_PAIRS = [(f, t) for f in STATUSES for t in STATUSES]

# (role, relation) → allowed for every (from, to); None means "see ARTIST_OWN_MOVES".
MOVE_RELATIONS = {
    ("ADMIN", "own"): True,
    ("ADMIN", "other"): True,
    ("PRODUCER", "own"): True,
    ("PRODUCER", "other"): True,
    ("SUPERVISOR", "own"): True,
    ("SUPERVISOR", "other"): True,
    ("SUPERVISOR", "supvr"): True,
    ("ARTIST", "own"): None,
    ("ARTIST", "other"): False,
    ("ARTIST", "membr"): False,
    ("ARTIST", "watch"): False,
    ("ARTIST", "supvr"): False,
    ("CLIENT", "own"): False,
    ("CLIENT", "other"): False,
    ("CLIENT", "share"): False,
}


@pytest.mark.parametrize(("role", "relation"), list(MOVE_RELATIONS))
@pytest.mark.parametrize(("from_status", "to_status"), ALL_PAIRS)
def test_task_move_cell(role, relation, from_status, to_status):
    expected = MOVE_RELATIONS[(role, relation)]
    if expected is None:
        expected = ARTIST_OWN[(from_status, to_status)]
    base = TARGETS[relation]
    target = Target(
        project_member=base.project_member,
        assigned=base.assigned,
        watching=base.watching,
        supervising=base.supervising,
        client_visible=base.client_visible,
        from_status=TaskStatus(from_status),
        to_status=TaskStatus(to_status),
    )
    assert permissions.can(actor(role), "task.move", target) is expected


def test_artist_statuses_are_todo_in_progress_and_internal_review():
    assert {s.value for s in permissions.ARTIST_STATUSES} == {
        "TODO",
        "IN_PROGRESS",
        "INTERNAL_REVIEW",
    }


# ---------------------------------------------------------------- the services enforce it

# The same matrix seen through the use cases, on a real production: the services must compute
# the facts (member, assigned, watching, shared) and check them. "hidden" is NotFound: a client
# is never told that a production task exists.
SERVICE_MATRIX = """
use_case             admin  producer  supervisor  artist  other   watcher  client
view_task            ok     ok        ok          ok      denied  ok       hidden
move_to_in_progress  ok     ok        ok          ok      denied  denied   hidden
set_due_date         ok     ok        ok          denied  denied  denied   hidden
upload_version       ok     ok        ok          ok      denied  denied   hidden
view_version         ok     ok        ok          ok      denied  ok       hidden
view_shared_version  ok     ok        ok          ok      denied  ok       ok
comment_internal     ok     ok        ok          ok      denied  ok       hidden
comment_for_client   ok     ok        ok          denied  denied  denied   ok
approve_internally   ok     ok        ok          denied  denied  denied   hidden
list_project_board   ok     ok        ok          ok      ok      ok       denied
archive_project      ok     ok        denied      denied  denied  denied   denied
unarchive_project    ok     ok        denied      denied  denied  denied   denied
"""


def _parse_service_matrix(text: str) -> dict[tuple[str, str], str]:
    lines = [line.split() for line in text.strip().splitlines()]
    header, rows = lines[0][1:], lines[1:]
    return {(r[0], who): outcome for r in rows for who, outcome in zip(header, r[1:])}


SERVICE_EXPECTED = _parse_service_matrix(SERVICE_MATRIX)


def _use_case(name: str, s, actor: UserRead, world: dict) -> None:
    task_id = world["task_id"]
    if name == "view_task":
        tasks.get_task(s, actor=actor, task_id=task_id)
    elif name == "move_to_in_progress":
        tasks.move(s, actor=actor, task_id=task_id, status="IN_PROGRESS")
    elif name == "set_due_date":
        tasks.set_due_date(s, actor=actor, task_id=task_id, due_date="2027-01-01")
    elif name == "upload_version":
        make_version(s, actor, task_id)
    elif name == "view_version":
        versions.get_version(s, actor=actor, version_id=world["internal_version_id"])
    elif name == "view_shared_version":
        versions.get_version(s, actor=actor, version_id=world["shared_version_id"])
    elif name == "comment_internal":
        reviews.add_comment(s, actor=actor, version_id=world["internal_version_id"], body="ok")
    elif name == "comment_for_client":
        reviews.add_comment(
            s, actor=actor, version_id=world["shared_version_id"], body="ok", client_visible=True
        )
    elif name == "approve_internally":
        reviews.record_approval(
            s, actor=actor, version_id=world["internal_version_id"], decision="APPROVED"
        )
    elif name == "list_project_board":
        tasks.list_tasks(s, actor=actor, project_id=world["project_id"])
    elif name == "archive_project":
        projects.archive_project(s, actor=actor, project_id=world["project_id"])
    elif name == "unarchive_project":
        producer = world["actors"]["producer"]
        projects.archive_project(s, actor=producer, project_id=world["project_id"])
        projects.unarchive_project(s, actor=actor, project_id=world["project_id"])
    else:  # pragma: no cover
        raise AssertionError(name)


@pytest.fixture
def world(uow):
    """prod (see tests.factories) plus a watching artist, an internal version and a shared
    version on prod.task, which is then put back in TODO."""
    with uow() as s:
        p = make_production(s)
        watcher = make_user(s, role="ARTIST")
        tasks.set_watchers(s, actor=p.producer, task_id=p.task.id, user_ids=[watcher.id])
        shared = make_version(s, p.artist, p.task.id)
        share_version(s, p.supervisor, shared.id)
        internal = make_version(s, p.artist, p.task.id)
        tasks.move(s, actor=p.producer, task_id=p.task.id, status="TODO")
    actors = {
        "admin": p.admin,
        "producer": p.producer,
        "supervisor": p.supervisor,
        "artist": p.artist,
        "other": p.other_artist,
        "watcher": watcher,
        "client": p.client,
    }
    return {
        "actors": actors,
        "task_id": p.task.id,
        "project_id": p.project.id,
        "internal_version_id": internal.id,
        "shared_version_id": shared.id,
    }


@pytest.mark.parametrize(
    ("use_case", "who", "outcome"),
    [(u, w, o) for (u, w), o in SERVICE_EXPECTED.items()],
    ids=[f"{u}-{w}" for u, w in SERVICE_EXPECTED],
)
def test_service_enforces_the_matrix(uow, world, use_case, who, outcome):
    actor_ = world["actors"][who]
    raised = {"ok": None, "denied": PermissionDenied, "hidden": NotFound}[outcome]
    if raised is None:
        with uow() as s:
            _use_case(use_case, s, actor_, world)
    else:
        with pytest.raises(raised), uow() as s:
            _use_case(use_case, s, actor_, world)
