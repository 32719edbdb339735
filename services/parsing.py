"""Turning form input into typed values, with messages a person can act on."""

from __future__ import annotations

from datetime import date

from models.enums import Priority
from services.errors import ValidationError


def parse_date(value, field: str = "Due date") -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(f"{field} must be a date like 2026-12-31.") from None


def parse_int(value, field: str, *, minimum: int | None = None) -> int | None:
    if value is None or value == "":
        return None
    try:
        n = int(str(value).strip())
    except ValueError:
        raise ValidationError(f"{field} must be a whole number.") from None
    if minimum is not None and n < minimum:
        raise ValidationError(f"{field} must be at least {minimum}.")
    return n


def parse_hours(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        h = float(str(value).strip())
    except ValueError:
        raise ValidationError("Estimate must be a number of hours.") from None
    if h < 0 or h > 10000:
        raise ValidationError("Estimate must be between 0 and 10000 hours.")
    return h


def parse_priority(value) -> Priority:
    if value is None or value == "":
        return Priority.NORMAL
    try:
        return Priority(str(value).upper())
    except ValueError:
        raise ValidationError("Priority must be LOW, NORMAL, HIGH or URGENT.") from None


def clean_code(value, field: str = "Code") -> str:
    code = (value or "").strip().upper()
    if not code or len(code) > 64 or any(c.isspace() for c in code):
        raise ValidationError(f"{field} must be 1–64 characters without spaces.")
    return code
