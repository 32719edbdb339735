"""The notification settings page's rules: a choice persists per user and type; a choice of
one channel leaves the other; the page can tell whether Slack or email can reach the user at
all (email: this server sends mail; Slack: one of the user's projects posts there)."""

from __future__ import annotations

import pytest

from models import Project
from services import notification_preferences as prefs
from services.errors import PermissionDenied
from tests.factories import make_project, make_user


def by_type(rows):
    return {p.type: (p.slack, p.email) for p in rows}


def test_a_choice_persists_and_touches_only_its_channel_and_its_user(uow, prod):
    with uow() as s:
        prefs.set_preference(s, actor=prod.artist, type="TASK_APPROVED", email=False)
    with uow() as s:
        mine = by_type(prefs.list_preferences(s, actor=prod.artist))
        theirs = by_type(prefs.list_preferences(s, actor=prod.other_artist))
    assert mine["TASK_APPROVED"] == (True, False)  # Slack keeps its default
    assert theirs["TASK_APPROVED"] == (True, True)
    with uow() as s:
        prefs.set_preference(s, actor=prod.artist, type="TASK_APPROVED", slack=False)
    with uow() as s:
        assert by_type(prefs.list_preferences(s, actor=prod.artist))["TASK_APPROVED"] == (
            False,
            False,
        )


def test_email_is_available_only_when_the_server_sends_mail(uow, prod, monkeypatch):
    monkeypatch.delenv("FEEDBACK_SMTP_HOST", raising=False)
    with uow() as s:
        assert prefs.availability(s, actor=prod.artist).email is False
    monkeypatch.setenv("FEEDBACK_SMTP_HOST", "127.0.0.1")
    with uow() as s:
        assert prefs.availability(s, actor=prod.artist).email is True


def test_slack_is_available_when_one_of_my_projects_posts_there(uow, prod, monkeypatch):
    monkeypatch.delenv("FEEDBACK_SLACK_BOT_TOKEN", raising=False)
    with uow() as s:
        elsewhere = make_project(s, prod.producer)
        outsider = make_user(s, role="ARTIST")
        s.get(Project, elsewhere.id).slack_webhook_url = "http://127.0.0.1:9/hook"
    with uow() as s:
        assert prefs.availability(s, actor=outsider).slack is False  # not their project
        assert prefs.availability(s, actor=prod.artist).slack is False
        assert prefs.availability(s, actor=prod.supervisor).slack is True  # staff: any project
    with uow() as s:
        s.get(Project, prod.project.id).slack_channel = "vfx-room"  # a channel needs the bot
    with uow() as s:
        assert prefs.availability(s, actor=prod.artist).slack is False
    monkeypatch.setenv("FEEDBACK_SLACK_BOT_TOKEN", "xoxb-test")
    with uow() as s:
        assert prefs.availability(s, actor=prod.artist).slack is True


def test_clients_have_no_notification_settings(uow, prod):
    with pytest.raises(PermissionDenied), uow() as s:
        prefs.availability(s, actor=prod.client)
    with pytest.raises(PermissionDenied), uow() as s:
        prefs.set_preference(s, actor=prod.client, type="TASK_APPROVED", slack=False)
