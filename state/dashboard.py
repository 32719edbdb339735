from datetime import date

import reflex as rx

from services import tasks
from services.db import session_scope
from state.base import AppState, guard
from state.rows import TaskRow, task_row


class DashboardState(AppState):
    open_count: int = 0
    due_today: int = 0
    overdue: int = 0
    in_review: int = 0
    upcoming: list[TaskRow] = []

    @rx.event
    @guard()
    def on_load(self, actor):
        with session_scope() as s:
            mine = tasks.list_my_tasks(s, actor=actor)
        today = date.today()
        self.open_count = len(mine)
        self.due_today = sum(1 for t in mine if t.due_date == today)
        self.overdue = sum(1 for t in mine if t.due_date and t.due_date < today)
        self.in_review = sum(1 for t in mine if t.status in ("INTERNAL_REVIEW", "CLIENT_REVIEW"))
        self.upcoming = [task_row(t) for t in mine[:8]]
