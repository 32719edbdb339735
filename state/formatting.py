"""Turning read models into what a row shows (labels, tones): presentation, not rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta


def due_label(d: date | None, today: date | None = None, *, done: bool = False) -> str:
    if d is None:
        return ""
    today = today or date.today()
    delta = (d - today).days
    if done and delta < 0:
        return d.strftime("%b %d")
    if delta == 0:
        return "Today"
    if delta == 1:
        return "Tomorrow"
    if delta == -1:
        return "Yesterday"
    if -7 < delta < 0:
        return f"{-delta}d overdue"
    if d.year == today.year:
        return d.strftime("%b %d")
    return d.strftime("%b %d %Y")


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
    return dt.strftime("%b %d")


def type_label(task_type: str) -> str:
    return task_type.replace("_", " ").title()
