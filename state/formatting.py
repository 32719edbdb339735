"""Turning read models into what a row shows (labels, tones): presentation, not rules.

One way to write each thing across the pages: a date is `date_label` ("Nov 28", "Jan 05
2027" in another year; the kanban cards write it the same way in assets/kanban.jsx), a role
`role_label` ("Admin"), a task type `type_label` ("Comp", "FX")."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from services import tasks
from services.dates import date_label  # noqa: F401 - the pages import it from here


def due_label(d: date | None, today: date | None = None, *, done: bool = False) -> str:
    if d is None:
        return ""
    today = today or date.today()
    delta = (d - today).days
    if done and delta < 0:
        return date_label(d, today)
    if delta == 0:
        return "Today"
    if delta == 1:
        return "Tomorrow"
    if delta == -1:
        return "Yesterday"
    if -7 < delta < 0:
        return f"{-delta}d overdue"
    return date_label(d, today)


def due_tone(d: date | None, done: bool, now: datetime | None = None) -> str:
    """ "overdue" when past and not done, "soon" within 48 h, "ok" otherwise."""
    if d is None:
        return ""
    if done:
        return "ok"
    now = now or datetime.now()
    end_of_day = datetime.combine(d, datetime.max.time())
    if end_of_day < now:
        return "overdue"
    if end_of_day - now <= timedelta(hours=48):
        return "soon"
    return "ok"


def when(dt: datetime | None) -> str:
    if dt is None:
        return ""
    now = datetime.now(UTC)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    secs = (now - dt).total_seconds()
    if secs < 60:
        return "just now"
    if secs < 3600:
        return f"{int(secs // 60)} min ago"
    if secs < 86400:
        return f"{int(secs // 3600)} h ago"
    if secs < 86400 * 7:
        return f"{int(secs // 86400)} d ago"
    return date_label(dt.astimezone(UTC).date(), now.date())


# "COMP" -> "Comp", "FX" -> "FX" (as typeLabel in assets/kanban.jsx).
type_label = tasks.type_label


def role_label(role: str) -> str:
    """ "ADMIN" -> "Admin", as the sidebar shows the signed-in user's role."""
    return role.replace("_", " ").title()


def timecode(index: int, fps: float) -> str:
    """SMPTE timecode of a 0-based clip frame index (00:00:00:00 at the first frame). 29.97
    and 59.94 count drop-frame (";" before the frames); other rates count at their nominal
    rate, e.g. 23.976 as 24. Must match timecode() in assets/review_player.jsx."""
    nominal = max(1, round(fps or 24))
    frame = max(0, int(index))
    drop = nominal // 15 if abs(fps - nominal * 1000 / 1001) < 0.005 and nominal % 30 == 0 else 0
    if drop:
        per_10min = nominal * 600 - drop * 9
        per_min = nominal * 60 - drop
        tens, rest = divmod(frame, per_10min)
        frame += drop * 9 * tens + (drop * ((rest - drop) // per_min) if rest > drop else 0)
    ff = frame % nominal
    ss = frame // nominal % 60
    mm = frame // (nominal * 60) % 60
    hh = frame // (nominal * 3600)
    return f"{hh:02d}:{mm:02d}:{ss:02d}{';' if drop else ':'}{ff:02d}"
