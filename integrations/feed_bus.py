"""The feed bus: the board bus's mechanism (integrations.realtime) on a channel of its own,
"feedback:feeds:<db>" on Redis (REFLEX_REDIS_URL), in memory otherwise.

Messages name topics whose pages should read again ({"topics": ["activity:p3", ...]}): a
project's or a task's activity feed, a dashboard scope. Never any content: each receiving page
reads as its own viewer (feedback_app/live_feeds.py).
"""

from __future__ import annotations

from integrations import realtime

NAME = "feeds"

_override: realtime.Bus | None = None


def get_bus() -> realtime.Bus:
    return _override if _override is not None else realtime.get_bus(NAME)


def set_bus(bus: realtime.Bus | None) -> None:
    """Replace the process's feed bus (tests); None goes back to the configured one."""
    global _override
    _override = bus
