"""The demo show as data: who works there, the two projects, and what state each task is in.

services.demo_seed plays it through the use cases. Due dates are days from today (negative:
past); a task's story is the list of review steps it went through (see STORIES).
"""

from __future__ import annotations

from dataclasses import dataclass

from models.enums import Priority, Role, TaskStatus

DEMO_PASSWORD = "feedback"


@dataclass(frozen=True)
class DemoAccount:
    key: str
    email: str
    name: str
    role: Role


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "admin@demo.feedback", "Ada Admin", Role.ADMIN),
    DemoAccount("producer", "producer@demo.feedback", "Pat Producer", Role.PRODUCER),
    DemoAccount("supervisor", "supervisor@demo.feedback", "Sam Supervisor", Role.SUPERVISOR),
    DemoAccount("artist", "artist@demo.feedback", "Alex Artist", Role.ARTIST),
    DemoAccount("artist2", "artist2@demo.feedback", "Blake Artist", Role.ARTIST),
    DemoAccount("client", "client@demo.feedback", "Casey Morgan", Role.CLIENT),
)


@dataclass(frozen=True)
class ItemPlan:
    """A shot (frames > 0) or an asset (frames == 0)."""

    code: str
    name: str
    due: int
    priority: Priority = Priority.NORMAL
    frames: int = 0
    lead: str = "supervisor"
    description: str = ""


@dataclass(frozen=True)
class ProjectPlan:
    code: str
    name: str
    fps: float
    description: str
    shots: tuple[ItemPlan, ...]
    assets: tuple[ItemPlan, ...]
    client_member: bool = False


@dataclass(frozen=True)
class TaskPlan:
    project: str
    parent: str
    type: str
    artist: str | None
    due: int
    story: str = "todo"
    title: str | None = None  # set for tasks added by hand (not from a template)
    description: str = ""
    watchers: tuple[str, ...] = ()


SHOT_TEMPLATE = ("Standard comp shot", "SHOT", ("TRACK", "ROTO", "COMP"))
ASSET_TEMPLATE = ("Asset build", "ASSET", ("MODEL", "TEXTURE", "RIG"))

P = Priority
PROJECTS: tuple[ProjectPlan, ...] = (
    ProjectPlan(
        code="NIGHTFALL",
        name="Nightfall",
        fps=24.0,
        description="Neo-noir feature: a night-time chase through a rain-soaked city. "
        "Third-act VFX package.",
        client_member=True,
        shots=(
            ItemPlan(
                "SH010",
                "Opening aerial",
                -2,
                P.HIGH,
                96,
                description="Establishing aerial at dusk: sky replacement, window lights.",
            ),
            ItemPlan(
                "SH020",
                "Alley chase",
                3,
                P.URGENT,
                120,
                description="Handheld chase down the wet alley; remove the camera rig reflection.",
            ),
            ItemPlan(
                "SH030",
                "Rooftop landing",
                4,
                P.HIGH,
                84,
                description="The police drone lands on the roof: CG drone, rain interaction.",
            ),
            ItemPlan("SH040", "Muzzle flashes", 6, P.NORMAL, 60),
            ItemPlan("SH050", "Bridge crossing", 9, P.NORMAL, 144),
            ItemPlan("SH060", "Tunnel exit", 12, P.NORMAL, 72),
            ItemPlan("SH070", "Skyline pull-back", 16, P.LOW, 110),
            ItemPlan("SH080", "Final stand", 20, P.NORMAL, 90),
        ),
        assets=(
            ItemPlan(
                "CAR01",
                "Hero car",
                5,
                P.HIGH,
                description="1968 fastback; hero and damaged variants, rain-wet look.",
            ),
            ItemPlan("DRONE01", "Police drone", 8, P.NORMAL),
        ),
    ),
    ProjectPlan(
        code="HARBOR",
        name="Harbor Lights",
        fps=23.976,
        description="Episodic, block 1: a fishing town's harbour. Set extensions and a crane gag.",
        shots=(
            ItemPlan("SH010", "Harbour wide", 1, P.HIGH, 120),
            ItemPlan("SH020", "Crane pass", 5, P.NORMAL, 96),
            ItemPlan("SH030", "Dock at dawn", 10, P.NORMAL, 72),
            ItemPlan("SH040", "Storm front", 18, P.LOW, 150),
        ),
        assets=(
            ItemPlan("BOAT01", "Fishing trawler", 6, P.NORMAL, lead="producer"),
            ItemPlan("CRANE01", "Dock crane", 12, P.NORMAL, lead="producer"),
        ),
    ),
)

# Template tasks (created by applying the templates) that get an artist, a due date and a story;
# the ones not listed stay unassigned in Todo, due with their shot or asset.
N, H = "NIGHTFALL", "HARBOR"
TASKS: tuple[TaskPlan, ...] = (
    TaskPlan(N, "SH010", "TRACK", "artist2", -6, "done"),
    TaskPlan(N, "SH010", "ROTO", "artist2", -5, "done"),
    TaskPlan(N, "SH010", "COMP", "artist", -2, "client_approved", watchers=("producer",)),
    TaskPlan(N, "SH020", "TRACK", "artist2", -4, "done"),
    TaskPlan(N, "SH020", "ROTO", "artist", -1, "changes"),
    TaskPlan(
        N,
        "SH020",
        "COMP",
        "artist",
        0,
        "wip",
        description="Rig removal in the puddle reflection first; the client is waiting on it.",
    ),
    TaskPlan(N, "SH030", "TRACK", "artist2", -3, "done"),
    TaskPlan(N, "SH030", "ROTO", "artist2", 2, "wip"),
    TaskPlan(N, "SH030", "COMP", "artist", 4, "client_review", watchers=("producer", "supervisor")),
    TaskPlan(N, "SH040", "TRACK", "artist2", 1, "review"),
    TaskPlan(N, "SH040", "COMP", "artist", 5),
    TaskPlan(N, "SH050", "TRACK", "artist", 2, "review2"),
    TaskPlan(N, "SH050", "ROTO", "artist2", 6),
    TaskPlan(N, "SH050", "COMP", "supervisor", 9),
    TaskPlan(N, "SH060", "TRACK", "artist", 8),
    TaskPlan(N, "CAR01", "MODEL", "artist2", -3, "done"),
    TaskPlan(N, "CAR01", "TEXTURE", "artist2", 2, "review"),
    TaskPlan(N, "CAR01", "RIG", "artist", 10),
    TaskPlan(N, "DRONE01", "MODEL", "artist", 3, "wip"),
    TaskPlan(N, "DRONE01", "TEXTURE", "artist2", 6),
    TaskPlan(H, "SH010", "TRACK", "artist", -3, "done"),
    TaskPlan(H, "SH010", "ROTO", "artist2", -2, "done"),
    TaskPlan(H, "SH010", "COMP", "artist2", 1, "client_review", watchers=("producer", "artist")),
    TaskPlan(H, "SH020", "TRACK", "artist2", -2, "changes"),
    TaskPlan(H, "SH020", "ROTO", "artist", 3, "wip"),
    TaskPlan(H, "SH030", "TRACK", "artist2", 6, "wip"),
    TaskPlan(H, "BOAT01", "MODEL", "artist", 1, "review"),
    TaskPlan(H, "BOAT01", "TEXTURE", "artist2", 6),
    TaskPlan(H, "CRANE01", "MODEL", "artist2", 5, "wip"),
    TaskPlan(H, "CRANE01", "RIG", "artist", 12),
    # Added by hand, beyond the templates:
    TaskPlan(
        N,
        "SH040",
        "FX",
        "artist2",
        5,
        "wip",
        "Muzzle flash elements",
        "Six flashes plus interactive light on the pillars.",
        watchers=("artist",),
    ),
    TaskPlan(N, "SH030", "LIGHTING", "artist2", 4, title="CG drone lighting"),
    TaskPlan(N, "CAR01", "LOOKDEV", "supervisor", 7, title="Wet paint lookdev"),
    TaskPlan(N, "DRONE01", "ANIMATION", "artist", 7, title="Landing animation"),
    TaskPlan(H, "SH020", "KEY", "artist2", 4, "review", "Greenscreen key"),
    TaskPlan(H, "SH040", "GENERAL", None, 14, title="Plate ingest and conform"),
)

# The review steps a task went through, in order:
#   start         the artist moves it to In Progress
#   upload        the artist uploads the next version (moves it to Internal Review)
#   note          the supervisor comments on the latest version, at a frame
#   reply         the artist answers the note
#   changes/approve   the supervisor's internal decision
#   share         the producer shares the latest version with the client (Client Review)
#   client_note / client_changes / client_approve   the client's review (Changes / Done)
#   final         the producer marks the task Done
STORIES: dict[str, tuple[str, ...]] = {
    "todo": (),
    "wip": ("start",),
    "review": ("start", "upload", "note"),
    "review2": ("start", "upload", "note", "changes", "reply", "upload"),
    "changes": ("start", "upload", "note", "changes"),
    "client_review": ("start", "upload", "note", "changes", "reply", "upload", "approve", "share"),
    "done": ("start", "upload", "approve", "final"),
    "client_approved": (
        *("start", "upload", "note", "changes", "reply", "upload", "approve", "share"),
        *("client_note", "client_changes", "upload", "approve", "share", "client_approve"),
    ),
}

# Where each story leaves its task (checked after seeding).
STORY_STATUS: dict[str, TaskStatus] = {
    "todo": TaskStatus.TODO,
    "wip": TaskStatus.IN_PROGRESS,
    "review": TaskStatus.INTERNAL_REVIEW,
    "review2": TaskStatus.INTERNAL_REVIEW,
    "changes": TaskStatus.CHANGES,
    "client_review": TaskStatus.CLIENT_REVIEW,
    "done": TaskStatus.DONE,
    "client_approved": TaskStatus.DONE,
}

ESTIMATED_HOURS: dict[str, float] = {
    "TRACK": 6, "ROTO": 12, "KEY": 6, "COMP": 16, "FX": 10, "LIGHTING": 8, "RENDER": 4,
    "ANIMATION": 20, "MODEL": 24, "TEXTURE": 14, "RIG": 16, "LOOKDEV": 8, "GENERAL": 3,
}  # fmt: skip

SUPERVISOR_NOTES: dict[str, tuple[str, ...]] = {
    "TRACK": (
        "Track slips on the lamp post from here, about half a pixel. Can you add features on "
        "the far building?",
        "Lens distortion looks off at the frame edges; check the grid from the shoot.",
    ),
    "ROTO": (
        "Hair edge is boiling around here; tighten the shapes and add motion blur.",
        "Matte is chattering on the left shoulder.",
    ),
    "COMP": (
        "Edges on the CG are too crisp against the plate; match the lens softness.",
        "Grain on the sky doesn't match the plate, it feels too clean.",
        "Love the atmosphere. Push the haze a touch more in the background.",
    ),
    "MODEL": ("Proportions look good. The wheel arches read a bit small from this angle.",),
    "TEXTURE": ("Roughness is too uniform; we need the wet streaks from the reference.",),
    "KEY": ("Spill on the left arm is still green; the edge is losing the fine hair.",),
}
ARTIST_REPLIES: tuple[str, ...] = (
    "On it, new version this afternoon.",
    "Fixed in the next version: re-tracked with more features on the rooftop.",
    "Good catch, I'll soften the edge and re-render.",
)
CLIENT_NOTES: tuple[str, ...] = ("Looks great. Can the headlights be a little warmer?",)
CLIENT_APPROVAL_NOTE = "Approved. Lovely work, thanks team!"
VERSION_DESCRIPTIONS: tuple[str, ...] = (
    "First pass for review.",
    "Addressed the notes on the previous version.",
    "Warmer headlights per the client's note.",
)
