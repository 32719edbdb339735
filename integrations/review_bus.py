"""The review bus: the board bus's mechanism (integrations.realtime) on a channel of its own,
"feedback:reviews:<db>" on Redis (REFLEX_REDIS_URL), in memory otherwise.

Messages say which tasks changed ({"tasks": [id, ...]}); each web worker's review hub
(feedback_app/live_reviews.py) refreshes the review rooms it holds for those tasks.
"""

from __future__ import annotations

from integrations import realtime

NAME = "reviews"

_override: realtime.Bus | None = None


def get_bus() -> realtime.Bus:
    return _override if _override is not None else realtime.get_bus(NAME)


def set_bus(bus: realtime.Bus | None) -> None:
    """Replace the process's review bus (tests); None goes back to the configured one."""
    global _override
    _override = bus
