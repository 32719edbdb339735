"""`live_follow`: assets/live_follow.jsx wrapped for Reflex. Placed inside a page area that
stays current (an activity feed, the dashboard), it tells the area's state when it is on
screen (`attach`) and when it is gone (`leave(epoch)`); see feedback_app/live_feeds.py."""

from __future__ import annotations

import reflex as rx


class LiveFollow(rx.Component):
    library = "$/public/live_follow.jsx"
    tag = "LiveFollow"

    hydrated: rx.Var[bool]
    epoch: rx.Var[str]

    on_attach: rx.EventHandler[rx.event.no_args_event_spec]
    on_leave: rx.EventHandler[rx.event.passthrough_event_spec(str)]


def live_follow(state) -> rx.Component:
    """For a state using state.live.LiveArea."""
    return LiveFollow.create(
        hydrated=rx.State.is_hydrated,
        epoch=state.live_epoch,
        on_attach=state.attach,
        on_leave=state.leave,
    )
