"""Database leases: one holder at a time, renewable by the holder, free once expired or
released."""

from __future__ import annotations

import threading
from datetime import timedelta

from models.base import utcnow
from services import leases

TTL = timedelta(seconds=90)


def take(uow, holder, now, name="overdue") -> bool:
    with uow() as s:
        return leases.acquire(s, name=name, holder=holder, ttl=TTL, now=now)


def test_one_holder_at_a_time_until_the_lease_expires(uow):
    t0 = utcnow()

    assert take(uow, "a", t0) is True
    assert take(uow, "b", t0 + timedelta(seconds=1)) is False
    assert take(uow, "a", t0 + timedelta(seconds=30)) is True  # renewed to t0 + 120 s
    assert take(uow, "b", t0 + timedelta(seconds=100)) is False
    assert take(uow, "b", t0 + timedelta(seconds=120)) is True  # a stopped renewing
    assert take(uow, "a", t0 + timedelta(seconds=121)) is False
    with uow() as s:
        assert leases.holder_of(s, "overdue", t0 + timedelta(seconds=121)) == "b"


def test_releasing_hands_over_at_once_but_only_by_the_holder(uow):
    t0 = utcnow()
    take(uow, "a", t0)
    with uow() as s:
        leases.release(s, name="overdue", holder="b", now=t0)  # not b's to give
    assert take(uow, "b", t0) is False

    with uow() as s:
        leases.release(s, name="overdue", holder="a", now=t0)
        assert leases.holder_of(s, "overdue", t0) is None
    assert take(uow, "b", t0) is True


def test_leases_of_different_names_are_independent(uow):
    t0 = utcnow()
    assert take(uow, "a", t0, name="overdue") and take(uow, "b", t0, name="reports")


def test_racing_for_a_free_lease_one_wins(uow):
    t0 = utcnow()
    start = threading.Barrier(6)
    won: list[str] = []
    errors: list[BaseException] = []

    def racer(holder: str):
        try:
            start.wait()
            if take(uow, holder, t0):
                won.append(holder)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=racer, args=(f"w{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert errors == [] and len(won) == 1
