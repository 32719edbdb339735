"""What shots and assets share: the fields a producer edits on either."""

from __future__ import annotations

from sqlmodel import Session

from models import ItemStatus, User
from services import access
from services.errors import ValidationError
from services.parsing import parse_date, parse_priority


def apply_common(item, fields: dict) -> None:
    if "name" in fields:
        item.name = (fields["name"] or "").strip()
    if "description" in fields:
        item.description = (fields["description"] or "").strip()
    if "due_date" in fields:
        item.due_date = parse_date(fields["due_date"])
    if "priority" in fields:
        item.priority = parse_priority(fields["priority"])
    if "status" in fields:
        try:
            item.status = ItemStatus(fields["status"])
        except ValueError:
            raise ValidationError("Unknown status.") from None


def lead(session: Session, value) -> int | None:
    lead_id = int(value) if value not in (None, "", 0) else None
    if lead_id is not None:
        access.get_or_404(session, User, lead_id, "Lead")
    return lead_id
