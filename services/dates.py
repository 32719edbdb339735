"""Dates as people read them, the same on every page and in every message we write."""

from __future__ import annotations

from datetime import date, datetime


def date_label(d: date | datetime | None, today: date | None = None) -> str:
    """ "Nov 28" this year, "Jan 05 2027" in another."""
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = d.date()
    today = today or date.today()
    return d.strftime("%b %d") if d.year == today.year else d.strftime("%b %d %Y")
