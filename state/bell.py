"""The notification bell in the app shell: unread count, a panel, mark read."""

from dataclasses import dataclass

import reflex as rx

from services import notifications
from services.db import session_scope
from services.errors import DomainError
from state.base import AppState
from state.formatting import when


@dataclass
class NoteRow:
    id: int
    text: str
    link: str
    is_read: bool
    when: str
    project: str  # the project's code: SH010 exists in more than one show


class BellState(AppState):
    unread: int = 0
    notes: list[NoteRow] = []

    def _refresh(self, actor) -> None:
        with session_scope() as s:
            self.unread = notifications.unread_count(s, actor=actor)
            self.notes = [
                NoteRow(
                    id=n.id,
                    text=n.text,
                    link=n.link,
                    is_read=n.is_read,
                    when=when(n.created_at),
                    project=n.project_code,
                )
                for n in notifications.list_for_user(s, actor=actor, limit=20)
            ]

    @rx.event
    def connect(self):
        """Called when the shell mounts: show the count and join this user's live channel."""
        actor = self.actor()
        if actor is None:
            return
        from feedback_app.live_users import hub  # the app layer owns the sockets

        hub.register(self.router.session.client_token, actor.id)
        self._refresh(actor)

    @rx.event
    def open_panel(self, value: bool):
        if value:
            actor = self.actor()
            if actor is not None:
                self._refresh(actor)

    @rx.event
    def open_note(self, note_id: int, link: str):
        try:
            self.call(notifications.mark_read, notification_id=note_id)
        except DomainError as e:
            return rx.toast.error(str(e))
        self._refresh(self.actor())
        if link.startswith("/") and not link.startswith("//"):
            return rx.redirect(link)

    @rx.event
    def mark_all_read(self):
        try:
            self.call(notifications.mark_all_read)
        except DomainError as e:
            return rx.toast.error(str(e))
        self._refresh(self.actor())
