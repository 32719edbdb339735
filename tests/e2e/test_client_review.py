"""Share With Client in a browser: a supervisor shares from the review page and the client's
open portal shows it without a reload; the client requests changes and the studio's kanban
card moves to Changes live; the review email reaches the SMTP server on loopback with the
link; link guests: expired, revoked, invalid links and a wrong password are refused.

And the leak test: as a CLIENT user and as a link guest, every portal page is walked while
every websocket frame and the HTML are recorded, and none of them carries an unshared
version, an internal comment, an artist's name, a task status or another task field.

Each test builds its own project through the services (in the app's database): versions get
the media of demo versions (already processed), so the player plays real clips."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from models import Project, ProjectMember, ReviewSession, ReviewSessionVersion, Version
from models.base import utcnow
from services import reviews, sharing, versions
from services.db import session_scope
from tests.e2e.helpers import KEYS, copy_media, demo_user
from tests.factories import add_member, make_project, make_shot, make_task

READY = "#kanban-board[data-state=ready]"


@dataclass
class ShareProject:
    id: int
    task_id: int
    shared_ready: int  # v001: READY, not shared yet (tests share it)
    unshared: int  # v002: READY, never shared
    marker: str  # a random word put in every field the client must never receive
    unshared_keys: list[str]


@pytest.fixture
def share_project(app_db_url) -> Iterator[ShareProject]:
    marker = "zq" + secrets.token_hex(4)
    with session_scope(app_db_url) as s:
        producer = demo_user(s, "producer@demo.feedback")
        supervisor = demo_user(s, "supervisor@demo.feedback")
        artist = demo_user(s, "artist@demo.feedback")
        project = make_project(s, producer, name=f"Share Test {marker[-4:]}")
        for person in (artist, supervisor, demo_user(s, "client@demo.feedback")):
            add_member(s, producer, project.id, person)
        shot = make_shot(s, producer, project.id, code="SR010")
        task = make_task(
            s,
            producer,
            shot_id=shot.id,
            type="COMP",
            title=f"Title {marker}",
            description=f"Description {marker}",
            assigned_artist_id=artist.id,
            assigned_supervisor_id=supervisor.id,
        )
        demo = s.exec(
            select(Version)
            .where(Version.proxy_key.is_not(None), Version.processing_state == "READY")
            .order_by(Version.id)
        ).all()
        made = [
            versions.create_version(
                s,
                actor=artist,
                task_id=task.id,
                original_filename=f"{marker}_render_v{n}.mov",
                description=f"Note {marker}",
            )
            for n in (1, 2)
        ]
        v1 = copy_media(s, made[0].id, demo[0])
        v2 = copy_media(s, made[1].id, demo[1])
        reviews.add_comment(s, actor=artist, version_id=v1.id, body=f"Internal {marker}")
        reviews.record_approval(
            s, actor=supervisor, version_id=v1.id, decision="APPROVED", note=f"Ok {marker}"
        )
        unshared_keys = [k for k in (getattr(v2, n) for n in KEYS) if k]
    yield ShareProject(project.id, task.id, v1.id, v2.id, marker, unshared_keys)
    with session_scope(app_db_url) as s:
        s.delete(s.get(Project, project.id))


def _context(browser, app_server):
    context = browser.new_context(base_url=app_server, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15_000)
    return context


def _share(app_db_url: str, version_id: int, **spec) -> str:
    """Share as the producer through the service; returns the link's path."""
    with session_scope(app_db_url) as s:
        producer = demo_user(s, "producer@demo.feedback")
        result = sharing.share_version(
            s, actor=producer, version_id=version_id, new_session=sharing.NewSession(**spec)
        )
    return result.link


def _enter(
    page: Page,
    link: str,
    name: str = "Dana Director",
    password: str | None = None,
    *,
    expect_in: bool = True,
):
    """Open a link as a guest; with `expect_in`, wait until the list shows (the guest cookie
    is set then: navigating earlier would land on the name form again)."""
    page.goto(link)
    page.locator("#guest-name").fill(name)
    if password is not None:
        page.locator("#link-password").fill(password)
    page.locator("#enter-link").click()
    if expect_in:
        page.locator("#portal-list").wait_for()


# ---------------------------------------------------------------- the whole loop


def test_share_from_review_page_reaches_the_client_live_and_their_changes_move_the_board(
    page: Page, browser, app_server, app_db_url, login, mailbox, share_project
):
    sp = share_project
    client_context = _context(browser, app_server)
    try:
        client = client_context.new_page()
        login(client, app_server, "client@demo.feedback")
        client.goto("/portal")
        client.locator("#page-title").wait_for()
        shared_card = client.locator(f".shared-version[data-version-id='{sp.shared_ready}']")
        expect(shared_card).to_have_count(0)

        login(page, app_server, "supervisor@demo.feedback")
        page.goto(f"/review/{sp.shared_ready}")
        page.locator(".share-with-client").click()
        # no review session in this project yet: the small dialog
        expect(page.locator("#share-dialog")).to_be_visible()
        page.locator("#share-name").fill("Week 48 dailies")
        page.locator("#share-send-email").click()
        page.locator("#share-extra").fill("dana@client.test")
        page.locator("#share-message").fill("Sky pass two")
        page.locator("#share-submit").click()
        expect(page.get_by_text("shared with the client")).to_be_visible()
        expect(page.locator(".share-menu")).to_be_visible()  # the button says it is shared

        # the client's open portal shows it without a reload
        expect(shared_card).to_be_visible(timeout=5000)

        # the review email reaches the SMTP server with the link
        with session_scope(app_db_url) as s:
            row = s.exec(select(ReviewSession).where(ReviewSession.project_id == sp.id)).one()
            link = sharing.link_path(row)
        deadline = time.monotonic() + 20
        mails = []
        while time.monotonic() < deadline and not mails:
            mails = [m for rcpt, m in mailbox.messages if "dana@client.test" in rcpt]
            time.sleep(0.25)
        assert mails, "no review email reached the SMTP server"
        text = mails[-1].get_body(("plain",)).get_content()
        assert app_server + link in text and "Sky pass two" in text

        # the studio's board is open on the task's card, in Client Review
        board = page.context.new_page()
        board.goto(f"/projects/{sp.id}/board")
        board.locator(READY).wait_for()
        card = board.locator(f".kanban-card[data-task-id='{sp.task_id}']")
        expect(
            board.locator(f"[data-column=CLIENT_REVIEW] .kanban-card[data-task-id='{sp.task_id}']")
        ).to_be_visible()

        # the client requests changes (a note is needed)
        shared_card.click()
        client.locator("#client-decision-box").wait_for()
        client.locator("#client-request-changes").click()
        expect(client.get_by_text("write a note first")).to_be_visible()
        client.locator("#client-note").fill("Warmer sky please")
        client.locator("#client-request-changes").click()
        expect(client.locator("#client-decision-box .client-decision")).to_have_text(
            "Changes requested"
        )

        # … and the studio's board moves the card to Changes, live
        expect(
            board.locator(f"[data-column=CHANGES] .kanban-card[data-task-id='{sp.task_id}']")
        ).to_be_visible(timeout=5000)
        expect(card).to_have_count(1)
        # the review page shows the client's decision in its history, live
        expect(page.locator("#approval-history")).to_contain_text("Client", timeout=5000)
    finally:
        client_context.close()


def test_a_studio_reply_marked_for_the_client_reaches_the_portal(
    page: Page, browser, app_server, app_db_url, login, share_project
):
    sp = share_project
    link = _share(app_db_url, sp.shared_ready)
    guest_context = _context(browser, app_server)
    try:
        guest = guest_context.new_page()
        _enter(guest, link)
        guest.locator(f".shared-version[data-version-id='{sp.shared_ready}']").click()
        guest.locator("#player-comment").fill("Can the sky be warmer?")
        guest.locator("#player-post").click()
        expect(guest.locator(".comment-item", has_text="Can the sky be warmer?")).to_be_visible()

        login(page, app_server, "supervisor@demo.feedback")
        page.goto(f"/review/{sp.shared_ready}")
        theirs = page.locator(".comment-item", has_text="Can the sky be warmer?")
        expect(theirs.get_by_text("Client", exact=True)).to_be_visible()  # marked as the client's
        theirs.locator(".comment-reply").click()
        expect(theirs.locator(".reply-for-client")).to_be_checked()  # a reply to the client
        theirs.locator(".reply-body textarea").fill("Yes, v002 tomorrow")
        theirs.locator(".reply-send").click()
        # an internal note stays internal
        page.locator(".comment-item", has_text="Can the sky be warmer?").locator(
            ".comment-reply"
        ).click()
        page.locator(".reply-for-client").click()  # untick
        page.locator(".reply-body textarea").fill(f"Internal {sp.marker} reply")
        page.locator(".reply-send").click()
        expect(
            page.locator(".comment-item", has_text=f"Internal {sp.marker} reply")
        ).to_be_visible()

        expect(guest.locator(".comment-item", has_text="Yes, v002 tomorrow")).to_be_visible(
            timeout=5000
        )
        expect(guest.locator(".comment-item", has_text="(studio)")).to_have_count(1)
        expect(guest.get_by_text(f"Internal {sp.marker} reply")).to_have_count(0)
    finally:
        guest_context.close()


# ---------------------------------------------------------------- links


def test_expired_revoked_and_invalid_links_say_so_and_nothing_else(
    page: Page, app_db_url, share_project
):
    sp = share_project
    expired = _share(app_db_url, sp.shared_ready, name="Old link")
    with session_scope(app_db_url) as s:
        row = s.exec(select(ReviewSession).where(ReviewSession.project_id == sp.id)).one()
        row.expires_at = utcnow() - timedelta(minutes=1)
        s.add(row)
    page.goto(expired)
    expect(page.locator("#link-closed")).to_contain_text("expired")
    expect(page.locator("#guest-name")).to_have_count(0)
    assert "Old link" not in page.content() and "Share Test" not in page.content()

    page.goto("/r/" + "x" * 43)
    expect(page.locator("#link-closed")).to_contain_text("does not work")

    with session_scope(app_db_url) as s:
        row = s.exec(select(ReviewSession).where(ReviewSession.project_id == sp.id)).one()
        row.expires_at = utcnow() + timedelta(days=1)
        producer = demo_user(s, "producer@demo.feedback")
        s.add(row)
        s.flush()
        sharing.revoke_session(s, actor=producer, review_session_id=row.id)
    page.goto(expired)
    expect(page.locator("#link-closed")).to_contain_text("withdrawn")


def test_a_wrong_password_is_refused_and_the_right_one_opens_the_link(
    page: Page, app_db_url, share_project
):
    sp = share_project
    link = _share(app_db_url, sp.shared_ready, name="Locked", password="open-sesame")
    _enter(page, link, password="guess", expect_in=False)
    expect(page.get_by_text("Wrong password.")).to_be_visible()
    expect(page.locator("#portal-list")).to_have_count(0)
    page.locator("#link-password").fill("open-sesame")
    page.locator("#enter-link").click()
    expect(page.locator(f".shared-version[data-version-id='{sp.shared_ready}']")).to_be_visible()
    # the browser remembers the guest: a reload goes straight in
    page.reload()
    expect(page.locator(f".shared-version[data-version-id='{sp.shared_ready}']")).to_be_visible()
    # the version opens in the player, and an unshared one is refused
    page.goto(f"{link}/{sp.unshared}")
    expect(page.get_by_text("not shared with you")).to_be_visible()
    expect(page).to_have_url(re.compile(re.escape(link) + "$"))


# ---------------------------------------------------------------- the leak test


def _record(page: Page) -> list[str]:
    frames: list[str] = []

    def on_socket(ws):
        ws.on("framereceived", lambda payload: frames.append(str(payload)))

    page.on("websocket", on_socket)
    return frames


def _assert_clean(received: str, sp: ShareProject, where: str) -> None:
    forbidden = [
        sp.marker,  # internal comment, internal note, task title/description, file names
        "Alex Artist",
        "Blake Artist",
        "artist@demo.feedback",
        "IN_PROGRESS",
        "INTERNAL_REVIEW",
        "CLIENT_REVIEW",
        "assigned_artist",
        "uploaded_by",
        *sp.unshared_keys,
    ]
    leaked = [word for word in forbidden if word in received]
    assert not leaked, f"{where}: {leaked} reached the browser"
    # no id of the unshared version in a link or a state var
    assert not re.search(rf"(/review/|/r/[^\"/]+/|version_id\W+){sp.unshared}\b", received), where


def test_nothing_internal_reaches_a_client_or_a_guest(
    browser, app_server, app_db_url, login, share_project
):
    sp = share_project
    link = _share(app_db_url, sp.shared_ready)
    with session_scope(app_db_url) as s:
        producer = demo_user(s, "producer@demo.feedback")
        reviews.add_comment(
            s, actor=producer, version_id=sp.shared_ready, body="For you", client_visible=True
        )
    for who in ("client", "guest"):
        context = _context(browser, app_server)
        try:
            page = context.new_page()
            frames = _record(page)
            if who == "client":
                login(page, app_server, "client@demo.feedback")
                lists, room = "/portal", f"/portal/review/{sp.shared_ready}"
                forbidden_room = f"/portal/review/{sp.unshared}"
            else:
                _enter(page, link, name="Leak Tester")
                lists, room = link, f"{link}/{sp.shared_ready}"
                forbidden_room = f"{link}/{sp.unshared}"
            html = []
            page.goto(lists)
            page.locator(f".shared-version[data-version-id='{sp.shared_ready}']").wait_for()
            html.append(page.content())
            page.goto(room)
            page.locator("#client-decision-box").wait_for()
            expect(page.locator(".comment-item", has_text="For you")).to_be_visible()
            page.keyboard.press("ArrowRight")
            time.sleep(0.5)
            html.append(page.content())
            received = "\n".join(frames + html)
            assert "For you" in received  # the recording works: it holds the client comment
            _assert_clean(received, sp, who)
            # asking for the unshared version by its id: refused, and nothing of it sent (the
            # router echoes the id the test typed into the URL, so no id check here)
            seen = len(frames)
            page.goto(forbidden_room)
            expect(page.get_by_text("not shared with you")).to_be_visible()
            page.goto("/projects")  # studio pages: bounced, nothing of them sent
            page.wait_for_timeout(1500)
            probing = "\n".join([*frames[seen:], page.content()])
            for word in (sp.marker, "Alex Artist", "INTERNAL_REVIEW", *sp.unshared_keys):
                assert word not in probing, f"{who}: {word} reached the browser"
            received += probing
            # every media link sent is a file of a version shared with this viewer
            with session_scope(app_db_url) as s:
                if who == "client":
                    client = demo_user(s, "client@demo.feedback")
                    member = select(ProjectMember.project_id).where(
                        ProjectMember.user_id == client.id
                    )
                    shown = select(Version).where(
                        Version.is_client_visible, Version.project_id.in_(member)
                    )
                else:
                    in_session = select(ReviewSessionVersion.version_id).join(
                        ReviewSession,
                        ReviewSession.id == ReviewSessionVersion.review_session_id,
                    )
                    shown = select(Version).where(
                        Version.is_client_visible,
                        Version.project_id == sp.id,
                        Version.id.in_(in_session),
                    )
                allowed = {getattr(v, n) for v in s.exec(shown).all() for n in KEYS}
            for key in re.findall(r"/media/([A-Za-z0-9_./-]+?)\?", received):
                assert key in allowed, f"{who} received a link to {key}"
        finally:
            context.close()


def test_share_from_the_shot_overview_and_withdraw_from_the_sessions_page(
    page: Page, app_server, app_db_url, login, share_project
):
    sp = share_project
    login(page, app_server, "producer@demo.feedback")
    page.goto(f"/projects/{sp.id}")
    chip = page.locator(f".task-chip[data-version-id='{sp.unshared}']")
    chip.click(button="right")
    page.locator(".chip-share").click()
    expect(page.locator("#share-dialog")).to_be_visible()
    page.locator("#share-submit").click()
    expect(page.get_by_text("shared with the client")).to_be_visible()
    with session_scope(app_db_url) as s:
        assert s.get(Version, sp.unshared).is_client_visible

    page.locator("#client-reviews-link").click()
    session = page.locator(".review-session")
    expect(session).to_have_count(1)
    expect(session.locator(".session-state")).to_have_text("active")
    expect(session).to_contain_text("SR010 COMP v002")
    session.locator(".session-withdraw").click()  # asks first, like Revoke
    expect(page.get_by_role("alertdialog")).to_contain_text("Withdraw SR010 COMP v002?")
    with session_scope(app_db_url) as s:
        assert s.get(Version, sp.unshared).is_client_visible
    page.locator(".session-withdraw-confirm").click()
    expect(session.locator(".session-withdraw")).to_have_count(0)
    with session_scope(app_db_url) as s:
        assert not s.get(Version, sp.unshared).is_client_visible
    session.locator(".session-revoke").click()
    page.locator(".session-revoke-confirm").click()
    expect(session.locator(".session-state")).to_have_text("revoked")


def test_share_from_a_kanban_card_menu_and_right_click(
    page: Page, browser, app_server, app_db_url, login, share_project
):
    sp = share_project
    login(page, app_server, "producer@demo.feedback")
    page.goto(f"/projects/{sp.id}/board")
    page.locator(READY).wait_for()
    card = page.locator(f".kanban-card[data-task-id='{sp.task_id}']")
    card.click(button="right")
    menu = page.locator(f".kanban-card-menu-list[data-task-id='{sp.task_id}']")
    expect(menu.locator(".kanban-menu-review")).to_have_text("Review v002")
    menu.locator(".kanban-menu-share").click()
    expect(page.locator("#share-dialog")).to_be_visible()
    page.locator("#share-submit").click()
    expect(page.get_by_text("shared with the client")).to_be_visible()
    # the card moves to Client Review and says it is shared, live
    moved = page.locator(f"[data-column=CLIENT_REVIEW] .kanban-card[data-task-id='{sp.task_id}']")
    expect(moved.locator(".kanban-card-shared")).to_be_visible(timeout=5000)
    # the ⋯ button opens the same menu, now with the client link
    moved.locator(".kanban-card-menu").click()
    expect(menu.locator(".kanban-menu-copy")).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu).to_have_count(0)

    # an artist's menu has no Share With Client
    artist_context = _context(browser, app_server)
    try:
        artist = artist_context.new_page()
        login(artist, app_server, "artist@demo.feedback")
        artist.goto(f"/projects/{sp.id}/board")
        artist.locator(READY).wait_for()
        artist.locator(f".kanban-card[data-task-id='{sp.task_id}']").click(button="right")
        artist_menu = artist.locator(".kanban-card-menu-list")
        expect(artist_menu.locator(".kanban-menu-open")).to_be_visible()
        expect(artist_menu.locator(".kanban-menu-share, .kanban-menu-copy")).to_have_count(0)
    finally:
        artist_context.close()
