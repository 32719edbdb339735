"""Import a shot list from CSV: every row is validated first, then all rows are written or none.

Columns (header row, any order, case-insensitive): code, name, description, frame_in, frame_out,
due_date. Only `code` is required.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from sqlmodel import Session, select

from models import Shot
from services import access, shots
from services.errors import DomainError, ValidationError
from services.parsing import clean_code, parse_date, parse_int
from services.schemas import UserRead

COLUMNS = ("code", "name", "description", "frame_in", "frame_out", "due_date")
MAX_ROWS = 2000
MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class ImportRow:
    line: int  # line number in the file (the header is line 1)
    code: str
    name: str
    description: str
    frame_in: str
    frame_out: str
    due_date: str
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportPreview:
    rows: tuple[ImportRow, ...]
    file_errors: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.file_errors and all(not r.errors for r in self.rows)

    @property
    def bad_rows(self) -> tuple[ImportRow, ...]:
        return tuple(r for r in self.rows if r.errors)


def preview(session: Session, *, actor: UserRead, project_id: int, text: str) -> ImportPreview:
    """Parse and validate without writing anything."""
    access.load_project(session, actor, project_id, "shot.manage")
    if len(text.encode("utf-8", "ignore")) > MAX_BYTES:
        return ImportPreview(rows=(), file_errors=("The file is larger than 1 MB.",))
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip().lower().replace(" ", "_") for h in next(reader)]
    except StopIteration:
        return ImportPreview(rows=(), file_errors=("The file is empty.",))
    except csv.Error as e:
        return ImportPreview(rows=(), file_errors=(f"Not a readable CSV file: {e}.",))
    if "code" not in header:
        return ImportPreview(
            rows=(), file_errors=("The header row needs a 'code' column (e.g. SH010).",)
        )
    unknown = [h for h in header if h and h not in COLUMNS]
    file_errors = [f"Unknown column {h!r}." for h in unknown]
    existing = set(session.exec(select(Shot.code).where(Shot.project_id == project_id)).all())
    seen: dict[str, int] = {}
    rows: list[ImportRow] = []
    try:
        # line numbers of the file, not record counts: a quoted cell may span several lines
        start = reader.line_num + 1
        for raw in reader:
            line_no, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in raw):
                continue
            values = {h: (raw[i].strip() if i < len(raw) else "") for i, h in enumerate(header)}
            rows.append(_check_row(line_no, values, existing, seen))
            if len(rows) > MAX_ROWS:
                file_errors.append(f"At most {MAX_ROWS} shots per import.")
                break
    except csv.Error as e:
        file_errors.append(f"Not a readable CSV file: {e}.")
    if not rows and not file_errors:
        file_errors.append("The file has a header but no shots.")
    return ImportPreview(rows=tuple(rows), file_errors=tuple(file_errors))


def _check_row(line: int, v: dict, existing: set[str], seen: dict[str, int]) -> ImportRow:
    errors: list[str] = []
    code = v.get("code", "")
    try:
        code = clean_code(code, "Shot code")
        if code in existing:
            errors.append(f"Shot {code} already exists in this project.")
        elif code in seen:
            errors.append(f"Shot {code} is also on line {seen[code]}.")
        else:
            seen[code] = line
    except DomainError as e:
        errors.append(str(e))
    frame_in = frame_out = None
    for key, label in (("frame_in", "Frame in"), ("frame_out", "Frame out")):
        try:
            value = parse_int(v.get(key, ""), label, minimum=0)
        except DomainError as e:
            errors.append(str(e))
            continue
        if key == "frame_in":
            frame_in = value
        else:
            frame_out = value
    if frame_in is not None and frame_out is not None and frame_out < frame_in:
        errors.append("Frame out must not be before frame in.")
    try:
        parse_date(v.get("due_date", ""))
    except DomainError as e:
        errors.append(str(e))
    if len(v.get("name", "")) > 200:
        errors.append("Name must be at most 200 characters.")
    return ImportRow(
        line=line,
        code=code,
        name=v.get("name", ""),
        description=v.get("description", ""),
        frame_in=v.get("frame_in", ""),
        frame_out=v.get("frame_out", ""),
        due_date=v.get("due_date", ""),
        errors=tuple(errors),
    )


def import_shots(session: Session, *, actor: UserRead, project_id: int, text: str) -> int:
    """Write every shot of the file, or none: a single bad row refuses the whole import."""
    result = preview(session, actor=actor, project_id=project_id, text=text)
    if not result.ok:
        problems = list(result.file_errors) + [
            f"line {r.line}: {'; '.join(r.errors)}" for r in result.bad_rows
        ]
        raise ValidationError("Nothing was imported. " + " ".join(problems[:5]))
    for r in result.rows:
        shots.create_shot(
            session,
            actor=actor,
            project_id=project_id,
            code=r.code,
            name=r.name,
            description=r.description,
            frame_in=r.frame_in,
            frame_out=r.frame_out,
            due_date=r.due_date,
        )
    return len(result.rows)
