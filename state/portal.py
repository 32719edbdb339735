from dataclasses import dataclass

import reflex as rx

from services import portal
from services.db import session_scope
from state.base import AppState, guard
from state.formatting import when


@dataclass
class SharedRow:
    id: int
    project: str
    title: str
    shared: str


class PortalState(AppState):
    shared: list[SharedRow] = []

    @rx.event
    @guard(internal=False)
    def on_load(self, actor):
        with session_scope() as s:
            rows = portal.list_shared_versions(s, actor=actor)
        self.shared = [
            SharedRow(
                id=r.id,
                project=r.project_name,
                title=f"{r.item_code} {r.task_type} {r.label}".strip(),
                shared=when(r.shared_at),
            )
            for r in rows
        ]
