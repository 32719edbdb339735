"""The review player: assets/review_player.jsx (a frame-exact <video>, annotation canvas and
comment composer) wrapped for Reflex. See the .jsx file for what each prop and event carries."""

from __future__ import annotations

import reflex as rx


class ReviewPlayer(rx.Component):
    library = "$/public/review_player.jsx"
    tag = "ReviewPlayer"

    media: rx.Var[dict]
    compare: rx.Var[dict]
    start_frame: rx.Var[int]
    initial_frame: rx.Var[int]
    load_seq: rx.Var[int]
    annotations: rx.Var[list[dict]]
    can_comment: rx.Var[bool]
    can_share: rx.Var[bool]
    draft_reset: rx.Var[int]
    hydrated: rx.Var[bool]
    live_epoch: rx.Var[str]

    # the 0-based frame on screen (throttled)
    on_frame: rx.EventHandler[rx.event.passthrough_event_spec(int)]
    # (body, 0-based frame or -1 for the whole version, shapes as JSON, visible to the client)
    on_comment: rx.EventHandler[rx.event.passthrough_event_spec(str, int, str, bool)]
    on_media_expired: rx.EventHandler[rx.event.no_args_event_spec]
    on_attach: rx.EventHandler[rx.event.no_args_event_spec]
    on_leave: rx.EventHandler[rx.event.passthrough_event_spec(str)]


review_player = ReviewPlayer.create
