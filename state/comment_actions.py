"""`CommentActions`: editing and deleting comments in a list beside the player, as a state
mixin shared by the studio's review room and the client portal.

The area implements `_as_commenter(fn, **kwargs)` (run a use case as this page's viewer, in
one transaction; raises DomainError) and `_refresh()` (read the room again). Every rule is in
services.comments: which comment an id names is checked there, so an id sent by a browser
opens nothing.
"""

from __future__ import annotations

import reflex as rx

from services import comments
from services.errors import DomainError
from state.base import toast_error
from state.review_rows import RoomComment


class CommentActions(rx.State, mixin=True):
    editing_id: int = 0  # the comment whose text is open for editing
    deleting_id: int = 0  # the comment asking "delete?"

    def _as_commenter(self, fn, **kwargs):
        raise NotImplementedError

    def _refresh(self):
        raise NotImplementedError

    def _keep_open_actions(self, rows: list[RoomComment]) -> None:
        """After a read: an edit or a delete question on a comment gone meanwhile (deleted
        by someone else, access lost) closes."""
        editable = {c.id for c in rows if c.can_edit}
        deletable = {c.id for c in rows if c.can_delete}
        if self.editing_id not in editable:
            self.editing_id = 0
        if self.deleting_id not in deletable:
            self.deleting_id = 0

    @rx.event
    def start_edit(self, comment_id: int):
        self.editing_id, self.deleting_id = int(comment_id), 0

    @rx.event
    def cancel_edit(self):
        self.editing_id = 0

    @rx.event
    def save_edit(self, form: dict):
        try:
            self._as_commenter(
                comments.edit_comment,
                comment_id=self.editing_id,
                body=str(form.get("body", "")),
            )
        except DomainError as e:
            return toast_error(e)
        self.editing_id = 0
        return self._refresh()

    @rx.event
    def ask_delete(self, comment_id: int):
        self.deleting_id, self.editing_id = int(comment_id), 0

    @rx.event
    def cancel_delete(self):
        self.deleting_id = 0

    @rx.event
    def delete_comment(self):
        try:
            self._as_commenter(comments.delete_comment, comment_id=self.deleting_id)
        except DomainError as e:
            return toast_error(e)
        self.deleting_id = 0
        return self._refresh()
