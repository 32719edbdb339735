"""Uploading a version from the browser: assets/version_upload.jsx wrapped for Reflex (a
button and a drop anywhere on the page; XHR with progress, speed and cancel)."""

from __future__ import annotations

import reflex as rx


class VersionUpload(rx.Component):
    library = "$/public/version_upload.jsx"
    tag = "VersionUpload"

    upload_url: rx.Var[str]
    max_bytes: rx.Var[int]
    extensions: rx.Var[list[str]]
    accept: rx.Var[str]
    label: rx.Var[str]
    task_label: rx.Var[str]
    disabled: rx.Var[bool]
    # the task's versions as the room shows them ([{id, state, error, ...}], pushed live):
    # the status beside the button follows the uploaded one until it is ready or failed
    versions: rx.Var[list]

    # (version id, label such as "v003") once the server created the version
    on_uploaded: rx.EventHandler[rx.event.passthrough_event_spec(int, str)]


version_upload = VersionUpload.create
