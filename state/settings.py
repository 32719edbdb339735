"""/settings/notifications: per notification type, Slack on/off and email on/off. A switch
saves at once (services.notification_preferences checks who may choose)."""

from dataclasses import dataclass

import reflex as rx

from services import notification_preferences
from services.db import session_scope
from services.errors import DomainError
from state.base import AppState, guard

CHANNELS = ("slack", "email")


@dataclass
class PreferenceRow:
    type: str
    label: str
    slack: bool
    email: bool


class NotificationSettingsState(AppState):
    rows: list[PreferenceRow] = []
    slack_available: bool = True
    email_available: bool = True

    @rx.event
    @guard()
    def on_load(self, actor):
        with session_scope() as s:
            found = notification_preferences.list_preferences(s, actor=actor)
            can = notification_preferences.availability(s, actor=actor)
        self.rows = [PreferenceRow(p.type, p.label, p.slack, p.email) for p in found]
        self.slack_available, self.email_available = can.slack, can.email

    @rx.event
    def toggle(self, type: str, channel: str, on: bool):
        if channel not in CHANNELS:
            return rx.toast.error("Unknown channel.")
        try:
            saved = self.call(
                notification_preferences.set_preference, type=type, **{channel: bool(on)}
            )
        except DomainError as e:
            return rx.toast.error(str(e))
        self.rows = [
            PreferenceRow(r.type, r.label, saved.slack, saved.email) if r.type == saved.type else r
            for r in self.rows
        ]
        name = "Slack" if channel == "slack" else "Email"
        state = "on" if getattr(saved, channel) else "off"
        return rx.toast.success(f"{name} {state}: {saved.label.lower()}", duration=2500)
