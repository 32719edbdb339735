"""Share With Client from anywhere in the studio: the review page, the task page, version rows,
kanban cards, the shot overview. One handler, `share(version_id)`: with an active review
session in the project the version goes to the client at once (toast with Copy link and Undo);
without one, the small dialog asks for the link's name, expiry, password and the optional
review email, then shares. Undo withdraws the version again (services.sharing.undo_share), with
the review link the share made, if it made one (removed if unused, else revoked). Undo is
offered only when the share made the version client-visible: undoing a second share must not
take away what the client already had. Every rule is in services.sharing; this only
carries the form."""

from __future__ import annotations

from datetime import date
from typing import TypedDict

import reflex as rx
from reflex.components.sonner.toast import ToastAction

from services import sharing
from services.errors import DomainError
from state.base import AppState, toast_error

NEW = "new"
UNDONE = {
    "removed": "Withdrawn from the client; the new review link was removed",
    "revoked": "Withdrawn from the client; the new review link may have reached them: revoked",
    "kept": "Withdrawn from the client",
}


class ShareForm(TypedDict, total=False):
    """The share dialog's fields, by name. A ticked checkbox sends "on", an unticked one
    nothing: Reflex reads "on" as True for a bool field; a missing one is False."""

    name: str
    expires_on: str
    password: str
    notify_client: bool
    send_email: bool
    extra: str
    message: str


def copy_link_script(path: str) -> str:
    return f"navigator.clipboard.writeText(window.location.origin + {path!r})"


def shared_toast(result: sharing.ShareResult, *, undo: bool):
    """Success, with Copy link and (when `undo`) Undo: withdraw what was just shared."""
    text = f"{result.title} shared with the client"
    if result.emailed:
        n = len(result.emailed)
        text += f"; review email to {n} address{'es' if n > 1 else ''} on its way"
    return rx.toast.success(
        text,
        action=ToastAction(
            label="Copy link", on_click=rx.call_script(copy_link_script(result.link))
        ),
        cancel=ToastAction(
            label="Undo",
            # the link this share made, if it made one: Undo removes it too when unused
            on_click=ShareState.undo_share(
                result.version_id, result.review_session_id if result.created_session else 0
            ),
        )
        if undo
        else None,
        duration=10000,
    )


class ShareState(AppState):
    dialog_open: bool = False
    version_id: int = 0
    title: str = ""
    sessions: list[dict[str, str]] = []  # value / label of the sessions to pick from
    choice: str = NEW
    name: str = ""  # the new link's suggested name and expiry (the fields' defaults)
    expires_on: str = ""
    send_email: bool = False  # shows the address fields; the form says it again on submit
    contacts: str = ""
    email_ready: bool = False
    error: str = ""
    last_link: str = ""
    _was_shared: bool = False  # the dialog's version was client-visible before: no Undo

    @rx.event
    def share(self, version_id: int):
        """The Share With Client button: at once into the active session, or the dialog."""
        try:
            check = self.call(sharing.share_check, version_id=int(version_id))
        except (DomainError, TypeError, ValueError) as e:
            return toast_error(e)
        if not check.can_share:
            return rx.toast.error(check.reason)
        if check.active_session_id is not None:
            return self._share(
                check.version_id, undo=not check.shared, review_session_id=check.active_session_id
            )
        return self._open_dialog(check)

    @rx.event
    def share_with_options(self, version_id: int):
        """The dialog even when a session is active: pick another, or send the review email."""
        try:
            check = self.call(sharing.share_check, version_id=int(version_id))
        except (DomainError, TypeError, ValueError) as e:
            return toast_error(e)
        if not check.can_share:
            return rx.toast.error(check.reason)
        return self._open_dialog(check)

    def _open_dialog(self, check: sharing.ShareCheck):
        self.version_id, self.title = check.version_id, check.title
        self._was_shared = check.shared
        self.sessions = [
            {
                "value": str(s.id),
                "label": s.name
                + (" (expired: picking it extends it)" if s.state == "expired" else ""),
            }
            for s in check.sessions
        ]
        self.choice = str(check.active_session_id) if check.active_session_id else NEW
        self.name = check.default_name
        self.expires_on = check.default_expires_on.isoformat()
        self.error, self.send_email = "", False
        self.contacts = ", ".join(check.client_emails)
        self.email_ready = check.email_ready
        self.dialog_open = True
        return None

    def _share(self, version_id: int, *, undo: bool, **kwargs):
        try:
            result = self.call(sharing.share_version, version_id=version_id, **kwargs)
        except DomainError as e:
            return rx.toast.error(str(e))
        self.last_link = result.link
        return shared_toast(result, undo=undo)

    @rx.event
    def confirm(self, form: ShareForm):
        new_session = None
        review_session_id = None
        if self.choice == NEW:
            raw = str(form.get("expires_on") or "")
            try:
                expires = date.fromisoformat(raw) if raw else None
            except ValueError:
                self.error = "Pick an expiry date."
                return None
            new_session = sharing.NewSession(
                name=str(form.get("name") or "")[:200],
                expires_on=expires,
                password=str(form.get("password") or "")[:200],
                notify_client=bool(form.get("notify_client", False)),
            )
        else:
            review_session_id = int(self.choice)
        email = None
        if form.get("send_email", False):
            email = sharing.ReviewEmail(
                extra_addresses=str(form.get("extra") or "")[:5000],
                message=str(form.get("message") or "")[:5000],
            )
        try:
            result = self.call(
                sharing.share_version,
                version_id=self.version_id,
                review_session_id=review_session_id,
                new_session=new_session,
                email=email,
            )
        except DomainError as e:
            self.error = str(e)  # the dialog stays open with everything typed
            return None
        self.dialog_open, self.error = False, ""
        self.last_link = result.link
        return shared_toast(result, undo=not self._was_shared)

    @rx.event
    def copy_link(self, version_id: int):
        try:
            links = self.call(sharing.links_for_version, version_id=int(version_id))
        except (DomainError, TypeError, ValueError) as e:
            return toast_error(e)
        if not links:
            return rx.toast.error("No active review link shows this version; share it again.")
        self.last_link = links[0]
        return [rx.call_script(copy_link_script(links[0])), rx.toast.success("Link copied")]

    @rx.event
    def unshare(self, version_id: int):
        """Withdraw from the client: the shared menu's item and the share toast's Undo."""
        try:
            done = self.call(sharing.unshare_version, version_id=int(version_id))
        except (DomainError, TypeError, ValueError) as e:
            return toast_error(e)
        return rx.toast.success("Withdrawn from the client" if done else "It was not shared")

    @rx.event
    def undo_share(self, version_id: int, review_session_id: int):
        """The share toast's Undo. Whether the link is really the share's own, and whether it
        may go, is decided by services.sharing.undo_share, not by what the browser sends."""
        try:
            link = self.call(
                sharing.undo_share,
                version_id=int(version_id),
                review_session_id=int(review_session_id) or None,
            )
        except (DomainError, TypeError, ValueError) as e:
            return toast_error(e)
        return rx.toast.success(UNDONE.get(link, UNDONE["kept"]))

    @rx.event
    def set_dialog_open(self, value: bool):
        self.dialog_open = bool(value)

    @rx.event
    def set_choice(self, value: str):
        self.choice = str(value)

    @rx.event
    def set_send_email(self, value: bool):
        self.send_email = bool(value)
