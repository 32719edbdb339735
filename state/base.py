"""The signed-in user, resolved server-side on every event.

Every page's on_load and every handler asks `self.actor()`, which re-reads the session from the
database: a stale or forged browser state grants nothing. Permission checks themselves live in
services; the state only turns their errors into toasts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

import reflex as rx

from feedback_app import routes
from services import auth
from services.db import session_scope
from services.errors import DomainError, NotFound, PermissionDenied
from services.schemas import UserRead
from state.formatting import role_label

SESSION_COOKIE = "fb_session"
T = TypeVar("T")


class AppState(rx.State):
    """Root of every page state: who is signed in."""

    session_token: str = rx.Cookie(
        "", name=SESSION_COOKIE, max_age=60 * 60 * 24 * 14, same_site="strict"
    )
    user_id: int = 0
    user_name: str = ""
    user_email: str = ""
    user_role: str = ""
    user_initials: str = ""

    def actor(self) -> UserRead | None:
        with session_scope() as s:
            user = auth.resolve(s, token=self.session_token)
        self._remember(user)
        return user

    def _remember(self, user: UserRead | None) -> None:
        self.user_id = user.id if user else 0
        self.user_name = user.name if user else ""
        self.user_email = user.email if user else ""
        self.user_role = user.role if user else ""
        self.user_initials = user.initials if user else ""

    def route_arg(self, name: str) -> str:
        value = self.router._page.params.get(name, "")
        return value if isinstance(value, str) else ""

    @rx.var
    def is_staff(self) -> bool:
        return self.user_role in ("ADMIN", "PRODUCER", "SUPERVISOR")

    @rx.var
    def is_admin(self) -> bool:
        return self.user_role == "ADMIN"

    @rx.var
    def can_manage_projects(self) -> bool:
        return self.user_role in ("ADMIN", "PRODUCER")

    @rx.var
    def role_label(self) -> str:
        return role_label(self.user_role)

    def call(self, fn: Callable[..., T], **kwargs) -> T:
        """Run a use case as the signed-in user, in one transaction. Raises DomainError."""
        actor = self.actor()
        if actor is None:
            raise PermissionDenied("Your session has ended. Sign in again.")
        with session_scope() as s:
            return fn(s, actor=actor, **kwargs)

    @rx.event
    def sign_out(self):
        with session_scope() as s:
            auth.sign_out(s, token=self.session_token)
        self.session_token = ""
        self._remember(None)
        return rx.redirect(routes.LOGIN)


def guard(internal: bool = True) -> Callable:
    """Decorate a page's on_load: sign-in required; `internal` pages refuse CLIENTs.

    The wrapped handler receives the resolved actor as its argument.
    """

    def deco(fn):
        @functools.wraps(fn)
        def wrapper(self):
            actor = self.actor()
            if actor is None:
                return rx.redirect(f"{routes.LOGIN}?next={self.router.url.path}")
            if internal and actor.role == "CLIENT":
                return [rx.redirect(routes.PORTAL), rx.toast.error("That page is for the studio.")]
            try:
                return fn(self, actor)
            except (NotFound, PermissionDenied) as e:
                return [rx.toast.error(str(e)), rx.redirect(routes.home_for(actor.role))]
            except DomainError as e:
                return rx.toast.error(str(e))

        return wrapper

    return deco


def toast_error(e: Exception):
    return rx.toast.error(str(e) if isinstance(e, DomainError) else "Something went wrong.")


def chain(*items) -> list:
    """What a handler returns when it has several things to send back: None (a step that had
    nothing to say) is left out and lists are flattened. Reflex refuses a returned list that
    holds None, and shows the person a generic error although the action worked."""
    out: list = []
    for item in items:
        for event in item if isinstance(item, (list, tuple)) else (item,):
            if event is not None:
                out.append(event)
    return out
