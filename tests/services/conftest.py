"""Fixtures for the service tests: units of work like the app's, and a small production."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import bcrypt
import pytest
from sqlmodel import Session

from services import events
from services.db import session_scope
from services.schemas import VersionRead
from tests.factories import Production, make_production, make_version, share_version

_real_gensalt = bcrypt.gensalt


@pytest.fixture(autouse=True)
def _cheap_bcrypt(monkeypatch):
    """bcrypt's cost factor is the point in production and pure waiting in a test that makes
    six users: the cheapest legal cost keeps real hashes at a fraction of the time."""
    monkeypatch.setattr(bcrypt, "gensalt", lambda rounds=12, prefix=b"2b": _real_gensalt(4, prefix))


@pytest.fixture
def uow(db_url) -> Callable[[], AbstractContextManager[Session]]:
    """`with uow() as s:` is one unit of work, committed on success like the app's."""
    return lambda: session_scope(db_url)


@pytest.fixture
def prod(uow) -> Production:
    """A committed small production (see tests.factories.Production)."""
    with uow() as s:
        return make_production(s)


@pytest.fixture
def version(uow, prod) -> VersionRead:
    """A version of `prod.task` by its artist (not processed, not shared)."""
    with uow() as s:
        return make_version(s, prod.artist, prod.task.id)


@pytest.fixture
def shared(uow, prod, version) -> VersionRead:
    """`version`, shared with the client by the supervisor."""
    with uow() as s:
        share_version(s, prod.supervisor, version.id)
    return version


@pytest.fixture
def delivered():
    """Domain events delivered to subscribers (after commit), in order."""
    seen: list[events.DomainEvent] = []
    subscriber = events.subscribe(seen.append)
    yield seen
    events.unsubscribe(subscriber)


@pytest.fixture
def notifying(db_url):
    """Notification writers subscribed to domain events (as the app's lifespan does), for one
    test; uninstalled after, so other tests see only their own events."""
    from services import notifications

    notifications.install(lambda: session_scope(db_url))
    yield
    notifications.uninstall()
