"""The dashboard's "Deliveries that failed" panel (ADMIN, PRODUCER): Slack and email messages
that failed or are retrying, and "Retry now" for a failed one (services.deliveries)."""

import asyncio
from dataclasses import dataclass

import anyio.to_thread
import reflex as rx

from services import deliveries, outbox
from services.db import session_scope
from services.errors import DomainError
from state.base import AppState
from state.formatting import when

MANAGERS = ("ADMIN", "PRODUCER")
WAIT_STEP, WAIT_STEPS = 0.5, 24  # up to 12 s: longer than Slack's and SMTP's 10 s timeouts


@dataclass
class DeliveryRow:
    id: int
    channel: str
    status: str
    target: str
    text: str
    error: str
    attempts: int
    project: str
    when: str
    next_try: str
    can_retry: bool


def _row(d: deliveries.DeliveryRead) -> DeliveryRow:
    return DeliveryRow(
        id=d.id,
        channel=d.channel,
        status=d.status,
        target=d.target,
        text=d.text,
        error=d.error,
        attempts=d.attempts,
        project=d.project_code,
        when=when(d.created_at),
        next_try=when(d.next_attempt_at) if d.next_attempt_at else "",
        can_retry=d.can_retry,
    )


class DeliveriesState(AppState):
    rows: list[DeliveryRow] = []
    sending: int = 0  # the delivery being retried, for its button's spinner

    def _read(self, actor) -> None:
        with session_scope() as s:
            self.rows = [_row(d) for d in deliveries.list_problems(s, actor=actor)]

    @rx.event
    def on_load(self):
        """Chained from the dashboard's load; an empty panel for everyone else."""
        actor = self.actor()
        if actor is None or actor.role not in MANAGERS:
            self.rows = []
            return
        try:
            self._read(actor)
        except DomainError:
            self.rows = []

    def _outcome(self, actor, delivery_id: int) -> deliveries.DeliveryRead:
        with session_scope() as s:
            return deliveries.get(s, actor=actor, delivery_id=delivery_id)

    @rx.event
    async def retry(self, delivery_id: int):
        if self.sending:
            return
        actor = self.actor()
        if actor is None:
            return
        try:
            self.call(deliveries.retry, delivery_id=int(delivery_id))
        except DomainError as e:
            yield rx.toast.error(str(e))
            self._read(actor)
            return
        self.sending = int(delivery_id)
        yield
        # Send now rather than at the worker's next tick (it would, within seconds): the
        # outbox's claim keeps the scheduler from sending the same message at the same time.
        try:
            await anyio.to_thread.run_sync(outbox.deliver_due)
            outcome = self._outcome(actor, int(delivery_id))
            for _ in range(WAIT_STEPS):  # the scheduler took it first: wait for its answer
                if not outcome.in_flight:
                    break
                await asyncio.sleep(WAIT_STEP)
                outcome = self._outcome(actor, int(delivery_id))
        except DomainError as e:
            outcome = None
            yield rx.toast.error(str(e))
        finally:
            self.sending = 0
        self._read(actor)
        if outcome is None:
            return
        if outcome.status == "SENT":
            yield rx.toast.success(f"Delivered to {outcome.target}")
        elif outcome.status == "PENDING" or outcome.in_flight:
            yield rx.toast.info("Queued: it goes out within seconds.")
        elif outcome.status == "RETRYING":
            yield rx.toast.warning(f"Failed again ({outcome.error}); retrying automatically.")
        else:
            yield rx.toast.error(f"Still failing: {outcome.error or 'unknown error'}")
